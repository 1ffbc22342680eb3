package io.softmaxservice.json;

import java.io.ByteArrayOutputStream;

import org.jspecify.annotations.Nullable;

/**
 * Checks a JSON string token (escapes, no raw control characters, well-formed UTF-8),
 * copies its bytes and decodes it when it is a member name, with Jackson's error wording.
 */
final class JsonStrings {

	private JsonStrings() {
	}

	/**
	 * Reads the string at the input's next byte (its opening quote).
	 * @param in the input
	 * @param out where its bytes go, quotes and escapes included, or null
	 * @param name whether it is a member name, to decode
	 * @param pointer where the reader is, for errors
	 * @return the decoded name, or null for a value
	 */
	static @Nullable String read(JsonInput in, @Nullable ByteArrayOutputStream out, boolean name, String pointer) {
		StringBuilder text = name ? new StringBuilder() : null;
		copy(in, out, 1);
		while (true) {
			int c = in.peek();
			if (c < 0) {
				throw in.endOfInput(name ? " in property name" : " in VALUE_STRING", pointer);
			}
			if (c == '"') {
				copy(in, out, 1);
				return name ? text.toString() : null;
			}
			if (c == '\\') {
				int escaped = escape(in, pointer);
				int length = (in.at(1) == 'u') ? 6 : 2;
				copy(in, out, length);
				if (text != null) {
					text.append((char) escaped);
				}
			}
			else if (c < 0x20) {
				throw in.errorHere("Illegal unquoted character (" + JsonInput.describe(c)
						+ "): has to be escaped using backslash to be included in " + (name ? "name" : "string value"),
						pointer);
			}
			else if (c < 0x80) {
				copy(in, out, 1);
				if (text != null) {
					text.append((char) c);
				}
			}
			else {
				int length = utf8(in, pointer);
				if (text != null) {
					text.append(new String(in.buffer, in.pos, length, java.nio.charset.StandardCharsets.UTF_8));
				}
				copy(in, out, length);
			}
		}
	}

	/** The character an escape sequence at the next byte stands for. */
	private static int escape(JsonInput in, String pointer) {
		int c = in.at(1);
		switch (c) {
			case '"', '\\', '/':
				return c;
			case 'b':
				return '\b';
			case 'f':
				return '\f';
			case 'n':
				return '\n';
			case 'r':
				return '\r';
			case 't':
				return '\t';
			case 'u':
				int value = 0;
				for (int i = 2; i < 6; i++) {
					int h = in.at(i);
					int digit = Character.digit(h, 16);
					if (h < 0) {
						in.pos += i;
						throw in.endOfInput(" in character escape sequence", pointer);
					}
					if (digit < 0 || h >= 0x80) {
						in.pos += i;
						throw in.unexpected(": expected a hex-digit for character escape sequence", pointer);
					}
					value = (value << 4) | digit;
				}
				return value;
			default:
				if (c < 0) {
					throw in.endOfInput(" in character escape sequence", pointer);
				}
				in.pos++;
				throw in.errorHere("Unrecognized character escape " + JsonInput.describe(c), pointer);
		}
	}

	/** The length of the UTF-8 sequence at the next byte, failing if it is malformed. */
	private static int utf8(JsonInput in, String pointer) {
		int first = in.peek();
		int length;
		if ((first & 0xE0) == 0xC0) {
			length = 2;
		}
		else if ((first & 0xF0) == 0xE0) {
			length = 3;
		}
		else if ((first & 0xF8) == 0xF0) {
			length = 4;
		}
		else {
			throw in.error(in.offset(in.pos) + 1, "Invalid UTF-8 start byte 0x" + Integer.toHexString(first), pointer);
		}
		for (int i = 1; i < length; i++) {
			int next = in.at(i);
			if (next < 0) {
				throw in.endOfInput(" in VALUE_STRING", pointer);
			}
			if ((next & 0xC0) != 0x80) {
				throw in.error(in.offset(in.pos + i) + 1, "Invalid UTF-8 middle byte 0x" + Integer.toHexString(next),
						pointer);
			}
		}
		return length;
	}

	private static void copy(JsonInput in, @Nullable ByteArrayOutputStream out, int n) {
		if (out != null) {
			out.write(in.buffer, in.pos, n);
		}
		in.pos += n;
	}

}
