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
		JsonInput in = new JsonInput(new java.io.ByteArrayInputStream(body.toString().getBytes()));
		JsonNumbers numbers = new JsonNumbers();
		for (double value : expected) {
			assertThat(numbers.read(in, () -> "")).isEqualTo(value);
			assertThat(in.peek()).isEqualTo(',');
			in.pos++;
		}
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
