package io.softmaxservice.json;

/**
 * The JSON tokens that are not numbers, arrays or strings, and the errors for what is not
 * a token, worded and placed as Jackson words and places them so that an error reads the
 * same whichever reader found it.
 */
final class JsonTokens {

	/** What a value may be, as Jackson lists it when it finds something else. */
	static final String VALID_VALUES = "expected a valid value (JSON String, Number (or 'NaN'/'+INF'/'-INF'), "
			+ "Array, Object or token 'null', 'true' or 'false')";

	private static final int MAX_TOKEN_IN_MESSAGE = 256;

	private JsonTokens() {
	}

	/**
	 * Consumes {@code word} at the next byte, which must not run on into more letters or
	 * digits.
	 * @param in the input
	 * @param word e.g. {@code true}
	 * @param from how many of its bytes are already known to match
	 * @param pointer where the scanner is, for the error
	 */
	static void keyword(JsonInput in, String word, int from, String pointer) {
		for (int i = from; i < word.length(); i++) {
			if (in.at(i) != word.charAt(i)) {
				throw unrecognized(in, pointer);
			}
		}
		int next = in.at(word.length());
		if (next >= 0 && isIdentifierPart(next)) {
			throw unrecognized(in, pointer);
		}
		in.pos += word.length();
	}

	/**
	 * An unrecognized token at the next byte: it and the letters and digits after it.
	 * @param in the input
	 * @param pointer where the scanner is
	 * @return the exception to throw
	 */
	static JsonSyntaxException unrecognized(JsonInput in, String pointer) {
		StringBuilder token = new StringBuilder();
		int i = 0;
		if (in.at(0) == '-') {
			token.append('-');
			i = 1;
		}
		for (int c = in.at(i); c >= 0 && isIdentifierPart(c); c = in.at(++i)) {
			if (token.length() >= MAX_TOKEN_IN_MESSAGE) {
				token.append("...");
				break;
			}
			token.append((char) c);
		}
		return in.errorHere("Unrecognized token '" + token + "'", pointer);
	}

	/**
	 * The error for a byte where a value should start and none can.
	 * @param in the input, at the byte
	 * @param inArray whether the value is an array element
	 * @param pointer where the scanner is
	 * @return the exception to throw
	 */
	static JsonSyntaxException notAValue(JsonInput in, boolean inArray, String pointer) {
		int c = in.peek();
		if (c < 0) {
			return in.endOfInput(inArray ? " within/between Array entries" : " within/between Object entries", pointer);
		}
		if (c == ',' || c == '}' || (c == ']' && inArray)) {
			return in.unexpected(": expected a value", pointer);
		}
		if (c == '+') {
			return in.error(in.offset(in.pos) + 1,
					"Unexpected character ('+') in numeric value: JSON spec does not allow numbers to have plus signs",
					pointer);
		}
		if (c < 0x80 && Character.isJavaIdentifierStart(c)) {
			return unrecognized(in, pointer);
		}
		int next = in.at(1);
		if (c >= 0x80 && Character.isJavaIdentifierStart(c) && (next & 0xC0) == 0x80) {
			// Jackson reads the first byte as a Latin-1 letter starting a token, then
			// fails
			// to decode the next as the start of a character.
			return in.error(in.offset(in.pos) + 1, "Invalid UTF-8 start byte 0x" + Integer.toHexString(next), pointer);
		}
		return in.unexpected(": " + VALID_VALUES, pointer);
	}

	/**
	 * Whether a byte continues a token (a letter, digit, {@code _}, {@code $} or part of
	 * a non-ASCII character).
	 * @param c a byte, 0-255
	 * @return whether it does
	 */
	static boolean isIdentifierPart(int c) {
		return (c >= 0x80) || Character.isJavaIdentifierPart(c) && !Character.isISOControl(c);
	}

}
