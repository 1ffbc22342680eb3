package io.softmaxservice.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonNumbers} and {@link DecimalConversion} against {@link Double#parseDouble},
 * which rounds correctly: random doubles as Java and as Python write them, random digit
 * strings, exact half-way points between neighbouring doubles and their nearest
 * neighbours, subnormals, overflow, and literals of thousands of digits.
 */
class JsonNumbersTests {

	private final Random random = new Random(20261202);

	@Test
	void readsRandomDoublesAsParseDoubleDoes() {
		for (int i = 0; i < 200_000; i++) {
			double value = Double.longBitsToDouble(this.random.nextLong());
			if (Double.isFinite(value)) {
				assertReads(Double.toString(value));
				assertReads(new BigDecimal(value).toString());
			}
		}
	}

	@Test
	void readsRandomDigitStringsAsParseDoubleDoes() {
		for (int i = 0; i < 200_000; i++) {
			StringBuilder literal = new StringBuilder(this.random.nextBoolean() ? "-" : "");
			int digits = 1 + this.random.nextInt(25);
			literal.append(1 + this.random.nextInt(9));
			for (int d = 1; d < digits; d++) {
				literal.append(this.random.nextInt(10));
			}
			if (this.random.nextBoolean() && digits > 1) {
				literal.insert(literal.length() - this.random.nextInt(digits - 1) - 1, '.');
			}
			if (this.random.nextBoolean()) {
				literal.append(this.random.nextBoolean() ? 'e' : 'E').append(this.random.nextInt(700) - 350);
			}
			assertReads(literal.toString());
		}
	}

	@Test
	void readsHalfWayPointsAndTheirNeighboursAsParseDoubleDoes() {
		for (int i = 0; i < 20_000; i++) {
			double value = Double.longBitsToDouble(this.random.nextLong() & Long.MAX_VALUE);
			if (!Double.isFinite(value) || value == Double.MAX_VALUE) {
				continue;
			}
			BigDecimal low = new BigDecimal(value);
			BigDecimal half = low.add(new BigDecimal(Math.nextUp(value))).divide(BigDecimal.valueOf(2));
			BigDecimal tiny = BigDecimal.ONE.movePointLeft(half.scale() + 3);
			assertReads(half.toString());
			assertReads(half.add(tiny).toString());
			assertReads(half.subtract(tiny).toString());
			assertReads(half.toPlainString().replace("E", "e"));
		}
	}

	@Test
	void readsSubnormalsBoundariesAndOverflow() {
		for (String literal : new String[] { "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
				"2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014E-308",
				"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e400",
				"1e-400", "0e999999999", "-0.0", "0.000", "9007199254740993", "9007199254740992.5",
				"123456789012345678901234567890", "0.1", "1e23", "8.41e21", "5e-324", "1e-323", "3.5e-324",
				"0.00000000000000000000000000000000001e300" }) {
			assertReads(literal);
		}
		for (int i = 0; i < 50_000; i++) {
			double value = Double.longBitsToDouble(this.random.nextLong() & 0x001F_FFFF_FFFF_FFFFL);
			assertReads(Double.toString(value));
			assertReads(new BigDecimal(value).round(new java.math.MathContext(1 + this.random.nextInt(20))).toString());
		}
	}

	@Test
	void readsLiteralsOfThousandsOfDigitsExactly() {
		assertReads("0." + "3".repeat(5000));
		assertReads("1." + "0".repeat(4998) + "1");
		for (int i = 0; i < 200; i++) {
			double value = Double.longBitsToDouble(this.random.nextLong() & Long.MAX_VALUE);
			if (Double.isFinite(value) && value != Double.MAX_VALUE) {
				BigDecimal half = new BigDecimal(value).add(new BigDecimal(Math.nextUp(value)))
					.divide(BigDecimal.valueOf(2));
				String digits = half.unscaledValue().toString();
				String exponent = "e" + (-half.scale());
				assertReads(digits + "0".repeat(2000) + exponent);
				assertReads(digits + "0".repeat(2000) + "1" + exponent);
				assertReads(half.subtract(BigDecimal.ONE.movePointLeft(half.scale() + 3000)).toString());
			}
		}
	}

	@Test
	void readsTheNonStandardTokens() {
		JsonNumbers numbers = new JsonNumbers();
		assertThat(numbers.read(input("NaN]"), () -> "")).isNaN();
		assertThat(numbers.token).isEqualTo(JsonNumbers.NAN);
		assertThat(numbers.read(input("-INF]"), () -> "")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(numbers.token).isEqualTo(JsonNumbers.NON_STANDARD_INFINITY);
		assertThat(numbers.read(input("-Infinity]"), () -> "")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(numbers.token).isEqualTo(JsonNumbers.LITERAL);
		assertThat(numbers.read(input("Infinity"), () -> "")).isEqualTo(Double.POSITIVE_INFINITY);
	}

	@Test
	void readsNumbersSplitAcrossChunks() {
		StringBuilder body = new StringBuilder();
		Random random = new Random(3);
		double[] expected = new double[20_000];
		for (int i = 0; i < expected.length; i++) {
			expected[i] = random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
			body.append(expected[i]).append(',');
		}
		JsonInput in = new JsonInput(new java.io.ByteArrayInputStream(body.toString().getBytes()), -1);
		JsonNumbers numbers = new JsonNumbers();
		for (double value : expected) {
			assertThat(numbers.read(in, () -> "")).isEqualTo(value);
			assertThat(in.peek()).isEqualTo(',');
			in.pos++;
		}
	}

	@Test
	void readsUsualLiteralsEightBytesAtATimeAsTheBytePathDoes() {
		int fast = 0;
		int total = 300_000;
		for (int i = 0; i < total; i++) {
			String literal = randomLiteral();
			if (assertShortNumbersAgree(literal)) {
				fast++;
			}
		}
		assertThat(fast).isGreaterThan(total / 5);
	}

	@Test
	void readsPythonAndJavaTextOfRandomDoublesEightBytesAtATime() {
		for (int i = 0; i < 100_000; i++) {
			double gaussian = this.random.nextGaussian() * 3;
			boolean fast = assertShortNumbersAgree(pythonRepr(gaussian));
			if (Math.abs(gaussian) >= 1e-2) {
				// At most 7 integer digits and 18 fraction digits: always the fast path.
				assertThat(fast).as(pythonRepr(gaussian)).isTrue();
			}
			double value = Double.longBitsToDouble(this.random.nextLong());
			if (Double.isFinite(value)) {
				assertShortNumbersAgree(Double.toString(value));
			}
			assertShortNumbersAgree(Float.toString((float) gaussian));
		}
	}

	@Test
	void readsOnTheFastPathUpToItsLimitsAndLeavesTheRestToTheBytePath() {
		for (String literal : new String[] { "0", "-0", "7", "-3.747835051197473", "0.11656044998659833",
				"-0.011656044998659833", "1234567.5", "0.000000001", "1.000000000000000000", "1e5", "1E+05",
				"-2.5e-308", "1.7976931348623157e308", "1e999", "-1e-999", "0.0", "0e7", "1.5x", "1.5.3", "1e5.3", "2]",
				"0.9007199254740993" }) {
			assertThat(assertShortNumbersAgree(literal)).as(literal).isTrue();
		}
		for (String literal : new String[] { "4.9e-324", "9007199254740993", "12345678.5", "123456789012345678.9",
				"1234567890123456789", "0.0011656044998659833", "1.2345678901234567890", "12345678901234567890",
				"1.0000000000000000000", "1e1000", "1e", "1e+", "1.", "1.e5", "-", "-x", "+1", ".5", "01", "-01",
				"00.5", "NaN", "Infinity", "-Infinity", "-INF", "\"1\"", "[1]" }) {
			assertThat(assertShortNumbersAgree(literal)).as(literal).isFalse();
		}
	}

	@Test
	void countsAndParsesTheLeadingDigitsOfAWord() {
		for (int i = 0; i < 100_000; i++) {
			byte[] bytes = new byte[8];
			int n = this.random.nextInt(9);
			long expected = 0;
			for (int b = 0; b < 8; b++) {
				if (b < n) {
					int digit = this.random.nextInt(10);
					bytes[b] = (byte) ('0' + digit);
					expected = 10 * expected + digit;
				}
				else {
					bytes[b] = (byte) ((b == n) ? nonDigit() : this.random.nextInt(256));
				}
			}
			long word = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
			assertThat(ShortNumbers.digitCount(word)).as("%016x", word).isEqualTo(n);
			assertThat(ShortNumbers.digits(word, n)).as("%016x", word).isEqualTo(expected);
		}
	}

	private int nonDigit() {
		int b;
		do {
			b = this.random.nextInt(256);
		}
		while (b >= '0' && b <= '9');
		return b;
	}

	/**
	 * Reads a literal (followed by a comma and enough spaces for the fast path) with
	 * {@link ShortNumbers} and, when it reads it, checks that it reads the double the
	 * byte path reads and stops where the byte path stops.
	 * @return whether the fast path read it
	 */
	private boolean assertShortNumbersAgree(String literal) {
		String text = literal + "," + " ".repeat(ShortNumbers.LOOKAHEAD);
		JsonInput fast = input(text);
		double value = ShortNumbers.read(fast);
		if (value != value) {
			assertThat(fast.pos).as(literal).isZero();
			return false;
		}
		JsonInput slow = input(text);
		double expected = new JsonNumbers().read(slow, () -> "");
		assertThat(Double.doubleToRawLongBits(value)).as(literal).isEqualTo(Double.doubleToRawLongBits(expected));
		assertThat(fast.pos).as(literal).isEqualTo(slow.pos);
		return true;
	}

	/**
	 * A literal of a random form: signs, integer and fraction lengths around the fast
	 * path's limits, leading zeros, exponents of 0 to 5 digits, stray characters.
	 */
	private String randomLiteral() {
		StringBuilder literal = new StringBuilder();
		String[] signs = { "", "", "-", "-", "+" };
		literal.append(signs[this.random.nextInt(signs.length)]);
		int integer = this.random.nextInt(10);
		if (this.random.nextInt(4) == 0) {
			literal.append('0');
			integer = this.random.nextInt(2);
		}
		appendDigits(literal, integer);
		if (this.random.nextInt(4) != 0) {
			literal.append('.');
			if (this.random.nextBoolean()) {
				literal.append("0".repeat(this.random.nextInt(4)));
			}
			appendDigits(literal, this.random.nextInt(22));
		}
		if (this.random.nextInt(3) == 0) {
			literal.append(this.random.nextBoolean() ? 'e' : 'E');
			String[] exponentSigns = { "", "-", "+" };
			literal.append(exponentSigns[this.random.nextInt(3)]);
			appendDigits(literal, this.random.nextInt(6));
		}
		if (this.random.nextInt(10) == 0) {
			String noise = ".eE-+0x]";
			literal.insert(this.random.nextInt(literal.length() + 1),
					noise.charAt(this.random.nextInt(noise.length())));
		}
		return literal.toString();
	}

	private void appendDigits(StringBuilder literal, int count) {
		for (int d = 0; d < count; d++) {
			literal.append((char) ('0' + this.random.nextInt(10)));
		}
	}

	/** Python's {@code repr} of a double: Java's digits, Python's layout. */
	private static String pythonRepr(double value) {
		BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		int exponent = shortest.precision() - shortest.scale() - 1;
		if (exponent < -4 || exponent >= 16) {
			return Double.toString(value).replace("E", "e");
		}
		String plain = shortest.toPlainString();
		return plain.contains(".") ? plain : plain + ".0";
	}

	private void assertReads(String literal) {
		double expected = Double.parseDouble(literal);
		double actual = new JsonNumbers().read(input(literal + ","), () -> "");
		assertThat(Double.doubleToRawLongBits(actual)).as(literal).isEqualTo(Double.doubleToRawLongBits(expected));
	}

	private static JsonInput input(String text) {
		return new JsonInput(text.getBytes(StandardCharsets.US_ASCII));
	}

}
