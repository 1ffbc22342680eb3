package io.softmaxservice.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ShortestDecimal} digit for digit against a slow reference: the exact value
 * rounded to 1, 2, ... significant digits with {@link BigDecimal}, the first length at
 * which a decimal reads back, and of that length the nearest that does, formatted as Java
 * formats doubles. Over random bit patterns, subnormals, powers of two (where the
 * rounding interval is lopsided), the extremes and float32 values.
 */
class ShortestDecimalTests {

	private final Random random = new Random(42);

	@Test
	void writesJavaNotation() {
		assertThat(ShortestDecimal.toString(0.1)).isEqualTo("0.1");
		assertThat(ShortestDecimal.toString(1.0 / 3)).isEqualTo("0.3333333333333333");
		assertThat(ShortestDecimal.toString(2e23)).isEqualTo("2.0E23");
		assertThat(ShortestDecimal.toString(1e-5)).isEqualTo("1.0E-5");
		assertThat(ShortestDecimal.toString(0.001)).isEqualTo("0.001");
		assertThat(ShortestDecimal.toString(0.00123)).isEqualTo("0.00123");
		assertThat(ShortestDecimal.toString(9.99e-4)).isEqualTo("9.99E-4");
		assertThat(ShortestDecimal.toString(9999999.0)).isEqualTo("9999999.0");
		assertThat(ShortestDecimal.toString(1e7)).isEqualTo("1.0E7");
		assertThat(ShortestDecimal.toString(123.456)).isEqualTo("123.456");
		assertThat(ShortestDecimal.toString(2000.0)).isEqualTo("2000.0");
		assertThat(ShortestDecimal.toString(-0.0)).isEqualTo("-0.0");
		assertThat(ShortestDecimal.toString(0.0)).isEqualTo("0.0");
		assertThat(ShortestDecimal.toString(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
		assertThat(ShortestDecimal.toString(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
		assertThat(ShortestDecimal.toString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
		assertThat(ShortestDecimal.toString(Double.MIN_NORMAL)).isEqualTo("2.2250738585072014E-308");
		assertThat(ShortestDecimal.toString(Double.MIN_VALUE)).isEqualTo("5.0E-324");
		assertThat(ShortestDecimal.toString(-2 * Double.MIN_VALUE)).isEqualTo("-1.0E-323");
		assertThat(ShortestDecimal.toString(1e23)).isEqualTo("1.0E23");
		assertThat(ShortestDecimal.toString(0.1f)).isEqualTo("0.1");
		assertThat(ShortestDecimal.toString(1.0f / 3)).isEqualTo("0.33333334");
		assertThat(ShortestDecimal.toString(16777216f)).isEqualTo("1.6777216E7");
		assertThat(ShortestDecimal.toString(Float.MIN_VALUE)).isEqualTo("1.0E-45");
		assertThat(ShortestDecimal.toString(Float.MAX_VALUE)).isEqualTo("3.4028235E38");
	}

	@Test
	void writesRandomDoublesAsTheShortestNearestDecimal() {
		for (int i = 0; i < 20_000; i++) {
			assertShortest(Double.longBitsToDouble(this.random.nextLong()));
			assertShortest(this.random.nextGaussian() * 3);
		}
	}

	@Test
	void writesSubnormalDoublesAsTheShortestNearestDecimal() {
		for (long c = 1; c < 300; c++) {
			assertShortest(Double.longBitsToDouble(c));
		}
		for (int i = 0; i < 10_000; i++) {
			assertShortest(Double.longBitsToDouble(this.random.nextLong() & 0x000F_FFFF_FFFF_FFFFL));
		}
	}

	@Test
	void writesPowersOfTwoAndTheirNeighboursAsTheShortestNearestDecimal() {
		for (int e = -1074; e <= 1023; e++) {
			double power = Math.scalb(1.0, e);
			assertShortest(power);
			assertShortest(Math.nextUp(power));
			assertShortest(Math.nextDown(power));
		}
		assertShortest(Double.MAX_VALUE);
		assertShortest(Double.MIN_NORMAL);
		for (int e = -30; e <= 30; e++) {
			assertShortest(Double.parseDouble("1e" + e));
			assertShortest(Math.nextUp(Double.parseDouble("1e" + e)));
		}
	}

	@Test
	void writesFloatsAsTheShortestNearestDecimal() {
		for (int i = 0; i < 20_000; i++) {
			assertShortest(Float.intBitsToFloat(this.random.nextInt()));
			assertShortest(Float.intBitsToFloat(this.random.nextInt() & 0x007F_FFFF));
			assertShortest((float) this.random.nextGaussian());
		}
		for (int e = -149; e <= 127; e++) {
			float power = Math.scalb(1.0f, e);
			assertShortest(power);
			assertShortest(Math.nextUp(power));
			assertShortest(Math.nextDown(power));
		}
		assertShortest(Float.MAX_VALUE);
	}

	@Test
	void writesEveryLayoutForEveryNumberOfDigits() {
		// Each decimal exponent around the switch between plain and E notation, with 1
		// to 17 significant digits and trailing zeros inside the words of eight digits.
		for (int exponent = -8; exponent <= 10; exponent++) {
			for (int digits = 1; digits <= 17; digits++) {
				for (int i = 0; i < 20; i++) {
					StringBuilder text = new StringBuilder().append(1 + this.random.nextInt(9));
					for (int d = 1; d < digits; d++) {
						text.append((this.random.nextInt(4) == 0) ? 0 : this.random.nextInt(10));
					}
					double value = new BigDecimal(text + "E" + (exponent - digits + 1)).doubleValue();
					assertShortest(value);
					assertShortest(-value);
					assertShortest((float) value);
				}
			}
		}
	}

	@Test
	void writesEightDigitsAtOnceForEveryNumberBelowTenToTheEight() {
		byte[] expected = new byte[8];
		for (int x = 0; x < 100_000_000; x++) {
			long word = ShortestDecimal.eightDigits(x);
			for (int d = 0; d < 8; d++) {
				if ((byte) (word >>> (8 * d)) != expected[d]) {
					assertThat(Long.toHexString(word)).as("digits of %d", x).isEqualTo(String.format("%08d", x));
				}
			}
			for (int d = 7; d >= 0 && ++expected[d] == 10; d--) {
				expected[d] = 0;
			}
		}
	}

	@Test
	void measureGivesTheLengthOfTheTextAndItsDigits() {
		double[] values = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 2000.0, -1e22,
				9007199254740992.0, 0.5, 1e-3, 9.999999999999999e-4, 1e7, 9999999.0, 5e-324, -2.2250738585072014E-308,
				1.7976931348623157E308, 1e100, 1e-100, 0x1p-1022, 0x1p-126, -0x1p1023, 1e23, 8.41e21 };
		for (double value : values) {
			assertMeasured(value);
			assertMeasured((float) value);
		}
		for (int i = 0; i < 1_000_000; i++) {
			assertMeasured(Double.longBitsToDouble(this.random.nextLong()));
			assertMeasured(Float.intBitsToFloat(this.random.nextInt()));
			assertMeasured(this.random.nextGaussian() * Math.pow(10, this.random.nextInt(40) - 20));
		}
	}

	private static void assertMeasured(double value) {
		long measure = ShortestDecimal.measure(value);
		byte[] out = new byte[ShortestDecimal.MAX_LENGTH];
		int end = ShortestDecimal.write(value, measure, out, 0);
		assertMeasured(ShortestDecimal.toString(value), new String(out, 0, end, StandardCharsets.ISO_8859_1), measure);
	}

	private static void assertMeasured(float value) {
		long measure = ShortestDecimal.measure(value);
		byte[] out = new byte[ShortestDecimal.MAX_LENGTH];
		int end = ShortestDecimal.write(value, measure, out, 0);
		assertMeasured(ShortestDecimal.toString(value), new String(out, 0, end, StandardCharsets.ISO_8859_1), measure);
	}

	/**
	 * The text written from the measure is the text, and the measured length is its
	 * length.
	 */
	private static void assertMeasured(String text, String fromMeasure, long measure) {
		assertThat(fromMeasure).as("from the measure of %s", text).isEqualTo(text);
		assertThat(ShortestDecimal.measuredLength(measure)).as("measured length of %s", text).isEqualTo(text.length());
	}

	/** The text against the reference, and its length against the measured length. */
	private static void assertShortest(double value) {
		if (Double.isFinite(value)) {
			String text = ShortestDecimal.toString(value);
			assertThat(text).as("%s", Double.doubleToRawLongBits(value))
				.isEqualTo(reference(new BigDecimal(value), value < 0 || (value == 0 && 1 / value < 0),
						(read) -> Double.parseDouble(read) == value, 17));
			assertThat(ShortestDecimal.measuredLength(ShortestDecimal.measure(value))).as("length of %s", text)
				.isEqualTo(text.length());
		}
	}

	private static void assertShortest(float value) {
		if (Float.isFinite(value)) {
			String text = ShortestDecimal.toString(value);
			assertThat(text).as("%s", Float.floatToRawIntBits(value))
				.isEqualTo(reference(new BigDecimal(value), value < 0 || (value == 0 && 1 / value < 0),
						(read) -> Float.parseFloat(read) == value, 9));
			assertThat(ShortestDecimal.measuredLength(ShortestDecimal.measure(value))).as("length of %s", text)
				.isEqualTo(text.length());
		}
	}

	/** The slow reference: shortest length first, then nearest, then even. */
	private static String reference(BigDecimal exact, boolean negative, java.util.function.Predicate<String> readsBack,
			int maxDigits) {
		if (exact.signum() == 0) {
			return negative ? "-0.0" : "0.0";
		}
		BigDecimal magnitude = exact.abs();
		for (int digits = 1; digits <= maxDigits; digits++) {
			BigDecimal nearest = magnitude.round(new MathContext(digits, RoundingMode.HALF_EVEN));
			BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-nearest.scale());
			BigDecimal best = null;
			for (BigDecimal candidate : new BigDecimal[] { nearest, nearest.subtract(unit), nearest.add(unit) }) {
				if (candidate.signum() > 0 && candidate.precision() <= digits
						&& readsBack.test((negative ? "-" : "") + candidate.toString())
						&& (best == null || closer(candidate, best, magnitude))) {
					best = candidate;
				}
			}
			if (best != null) {
				return (negative ? "-" : "") + javaNotation(best);
			}
		}
		throw new AssertionError("No decimal reads back as " + exact);
	}

	private static boolean closer(BigDecimal candidate, BigDecimal best, BigDecimal exact) {
		int order = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
		return order < 0 || (order == 0 && candidate.unscaledValue().testBit(0) == false);
	}

	/** Java's {@code Double.toString} layout of a positive decimal. */
	private static String javaNotation(BigDecimal decimal) {
		BigDecimal stripped = decimal.stripTrailingZeros();
		String digits = stripped.unscaledValue().toString();
		int exponent = digits.length() - 1 - stripped.scale();
		if (exponent >= -3 && exponent < 7) {
			String plain = stripped.toPlainString();
			return plain.contains(".") ? plain : plain + ".0";
		}
		String fraction = (digits.length() > 1) ? digits.substring(1) : "0";
		return digits.charAt(0) + "." + fraction + "E" + exponent;
	}

}
