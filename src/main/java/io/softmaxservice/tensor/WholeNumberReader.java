package io.softmaxservice.tensor;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an integer field (an axis, an ignore index) from any JSON number with a whole
 * value: {@code 2}, {@code 2.0} and {@code 2e0} read as 2; {@code 2.5}, a value outside
 * the int range, or anything but a number is refused at the field's pointer. The test is
 * exact and works on the literal's digits, in time linear in its length, so
 * {@code 2.0000000000000000001} is not whole and a literal of millions of digits costs no
 * big-number arithmetic.
 */
public class WholeNumberReader extends ValueDeserializer<Integer> {

	/** Digits of the largest int, 2147483647. */
	private static final int MAX_DIGITS = 10;

	@Override
	public Integer deserialize(JsonParser parser, DeserializationContext context) {
		String pointer = parser.streamReadContext().pathAsPointer().toString();
		JsonToken token = parser.currentToken();
		if (!token.isNumeric()) {
			throw new InvalidInputException(pointer,
					"Expected a whole number, found " + TensorReader.describe(token) + ".", "wrong-type");
		}
		String text = parser.getString();
		Long value = wholeValue(text);
		if (value == null) {
			throw new InvalidInputException(pointer,
					"Expected a whole number, found " + TensorReader.abbreviate(text) + ".", "not-whole");
		}
		if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
			throw new InvalidInputException(pointer,
					"The number " + TensorReader.abbreviate(text) + " is out of range.", "out-of-range");
		}
		return value.intValue();
	}

	/**
	 * The value of a JSON number literal if it is whole: {@code null} if it has a
	 * fractional part (or is not a finite literal), {@link Long#MAX_VALUE} (out of any
	 * int range) if it has more than ten integer digits.
	 */
	static Long wholeValue(String text) {
		boolean negative = text.startsWith("-");
		int exponentAt = Math.max(text.indexOf('e'), text.indexOf('E'));
		String mantissa = text.substring(negative ? 1 : 0, (exponentAt >= 0) ? exponentAt : text.length());
		int dot = mantissa.indexOf('.');
		String digits = (dot >= 0) ? mantissa.substring(0, dot) + mantissa.substring(dot + 1) : mantissa;
		if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
			return null;
		}
		int leadingZeros = 0;
		while (leadingZeros < digits.length() && digits.charAt(leadingZeros) == '0') {
			leadingZeros++;
		}
		if (leadingZeros == digits.length()) {
			return 0L;
		}
		// The value is 0.D x 10^point with D the significant digits.
		long point = ((dot >= 0) ? dot : mantissa.length()) - leadingZeros;
		if (exponentAt >= 0) {
			long exponent = exponent(text.substring(exponentAt + 1));
			point = (exponent == Long.MIN_VALUE || exponent == Long.MAX_VALUE) ? exponent : point + exponent;
		}
		String significant = digits.substring(leadingZeros);
		if (point < significant.length()
				&& !significant.substring((int) Math.max(point, 0)).chars().allMatch((c) -> c == '0')) {
			return null;
		}
		if (point > MAX_DIGITS) {
			return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
		StringBuilder integer = new StringBuilder(
				significant.substring(0, (int) Math.min(point, significant.length())));
		while (integer.length() < point) {
			integer.append('0');
		}
		long value = Long.parseLong(integer.toString());
		return negative ? -value : value;
	}

	/**
	 * An exponent's value, saturated to {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}.
	 */
	private static long exponent(String text) {
		boolean negative = text.startsWith("-");
		String digits = (negative || text.startsWith("+")) ? text.substring(1) : text;
		String trimmed = digits.replaceFirst("^0+(?=.)", "");
		if (trimmed.length() > 15) {
			return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
		long value = Long.parseLong(trimmed);
		return negative ? -value : value;
	}

}
