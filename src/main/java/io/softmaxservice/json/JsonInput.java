package io.softmaxservice.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A request body read in chunks into one reusable buffer, with the line and column the
 * scanner is at. The buffer only grows when a single token is longer than it.
 */
final class JsonInput {

	static final int CHUNK = 1 << 16;

	private final InputStream stream;

	byte[] buffer;

	/** The next byte to read. */
	int pos;

	/** The end of the bytes read so far. */
	int limit;

	private boolean ended;

	/** The body offset of {@code buffer[0]}. */
	private long base;

	private int line = 1;

	/** The body offset where the current line starts. */
	private long lineStart;

	/**
	 * Reads a stream a chunk at a time; the buffer grows if a token needs it.
	 * @param stream the body
	 * @param length the body's length if known ({@code Content-Length}), else -1: a
	 * shorter body gets a buffer of its size, so that a small request does not allocate
	 * (and zero) a whole chunk
	 */
	JsonInput(InputStream stream, long length) {
		this.stream = stream;
		this.buffer = new byte[(length >= 0 && length < CHUNK) ? (int) length + 1 : CHUNK];
	}

	JsonInput(byte[] bytes) {
		this.stream = InputStream.nullInputStream();
		this.buffer = bytes;
		this.limit = bytes.length;
		this.ended = true;
	}

	/**
	 * The next byte, without consuming it.
	 * @return 0-255, or -1 at the end of the body
	 */
	int peek() {
		if (this.pos < this.limit || ensure(1)) {
			return this.buffer[this.pos] & 0xFF;
		}
		return -1;
	}

	/**
	 * The byte {@code i} places after the next one, keeping every byte from the next one
	 * on in the buffer.
	 * @param i the distance
	 * @return 0-255, or -1 at the end of the body
	 */
	int at(int i) {
		if (this.pos + i < this.limit || ensure(i + 1)) {
			return this.buffer[this.pos + i] & 0xFF;
		}
		return -1;
	}

	/**
	 * Makes at least {@code n} bytes from {@link #pos} available, unless the body ends
	 * first. May move the bytes in the buffer: positions are relative to {@link #pos}.
	 * @param n how many bytes
	 * @return whether they are available
	 */
	boolean ensure(int n) {
		if (this.limit - this.pos >= n) {
			return true;
		}
		if (this.ended) {
			return false;
		}
		int kept = this.limit - this.pos;
		if (n > this.buffer.length) {
			byte[] larger = new byte[Math.max(n, this.buffer.length * 2)];
			System.arraycopy(this.buffer, this.pos, larger, 0, kept);
			this.buffer = larger;
		}
		else if (this.pos > 0) {
			System.arraycopy(this.buffer, this.pos, this.buffer, 0, kept);
		}
		this.base += this.pos;
		this.pos = 0;
		this.limit = kept;
		try {
			while (this.limit < n || this.limit < Math.min(this.buffer.length, CHUNK)) {
				int read = this.stream.read(this.buffer, this.limit, this.buffer.length - this.limit);
				if (read < 0) {
					this.ended = true;
					break;
				}
				this.limit += read;
				if (this.limit >= n && read > 0 && this.stream.available() <= 0) {
					break;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this.limit - this.pos >= n;
	}

	/**
	 * Skips whitespace (space, tab, line feed, carriage return), counting lines.
	 * @return the next byte after it, not consumed, or -1 at the end of the body
	 */
	int skipWhitespace() {
		while (true) {
			while (this.pos < this.limit) {
				int c = this.buffer[this.pos];
				if (c > ' ') {
					return c & 0xFF;
				}
				if (c == ' ' || c == '\t') {
					this.pos++;
				}
				else if (c == '\n') {
					this.pos++;
					newLine();
				}
				else if (c == '\r') {
					this.pos++;
					if (peek() == '\n') {
						this.pos++;
					}
					newLine();
				}
				else {
					return c & 0xFF;
				}
			}
			if (!ensure(1)) {
				return -1;
			}
		}
	}

	private void newLine() {
		this.line++;
		this.lineStart = this.base + this.pos;
	}

	/**
	 * The body offset of a buffer position.
	 * @param position a position in the buffer
	 * @return its offset from the start of the body
	 */
	long offset(int position) {
		return this.base + position;
	}

	/**
	 * A syntax error at a body offset on the current line.
	 * @param offset the body offset the column is counted from
	 * @param reason what is wrong, without a final period
	 * @param pointer where the scanner was
	 * @return the exception to throw
	 */
	JsonSyntaxException error(long offset, String reason, String pointer) {
		long column = offset - this.lineStart + 1;
		return new JsonSyntaxException(pointer,
				"The request body is not valid JSON at line " + this.line + ", column " + column + ": " + reason + ".");
	}

	/**
	 * A syntax error at the next byte.
	 * @param reason what is wrong
	 * @param pointer where the scanner was
	 * @return the exception to throw
	 */
	JsonSyntaxException errorHere(String reason, String pointer) {
		return error(offset(this.pos), reason, pointer);
	}

	/**
	 * The end of the body came too early.
	 * @param reason e.g. {@code expected close marker for Array}
	 * @param pointer where the scanner was
	 * @return the exception to throw
	 */
	JsonSyntaxException endOfInput(String reason, String pointer) {
		return error(offset(this.limit), "Unexpected end-of-input" + reason, pointer);
	}

	/**
	 * How Jackson names a character in its messages.
	 * @param c a byte or character
	 * @return e.g. {@code 'x'} or {@code (CTRL-CHAR, code 9)}
	 */
	static String describe(int c) {
		if (Character.isISOControl(c)) {
			return "(CTRL-CHAR, code " + c + ")";
		}
		if (c > 255) {
			return "'" + (char) c + "' (code " + c + " / 0x" + Integer.toHexString(c) + ")";
		}
		return "'" + (char) c + "'";
	}

	/**
	 * An unexpected character at the next byte (decoding a UTF-8 sequence for the
	 * message).
	 * @param suffix what was expected, e.g. {@code : expected a value}, or empty
	 * @param pointer where the scanner was
	 * @return the exception to throw
	 */
	JsonSyntaxException unexpected(String suffix, String pointer) {
		int c = peek();
		if (c == '/') {
			return errorHere("Unexpected character ('/'): maybe a (non-standard) comment?", pointer);
		}
		if (c >= 0x80) {
			int decoded = decodeForMessage();
			if (decoded < 0) {
				return error(offset(this.pos) + 1, "Invalid UTF-8 start byte 0x" + Integer.toHexString(c), pointer);
			}
			c = decoded;
		}
		return errorHere("Unexpected character (" + describe(c) + ")" + suffix, pointer);
	}

	/**
	 * A closing bracket or brace at the next byte that closes nothing open.
	 * @param open the kind of the innermost open value: {@code Array} or {@code Object}
	 * @param pointer where the scanner was
	 * @return the exception to throw
	 */
	JsonSyntaxException mismatchedClose(String open, String pointer) {
		char expected = open.equals("Array") ? ']' : '}';
		return errorHere("Unexpected close marker '" + (char) peek() + "': expected '" + expected + "' (for " + open
				+ " starting at", pointer);
	}

	private int decodeForMessage() {
		int first = peek();
		int length = (first >= 0xF0) ? 4 : (first >= 0xE0) ? 3 : (first >= 0xC0) ? 2 : -1;
		if (length < 0 || first >= 0xF8) {
			return -1;
		}
		int code = first & (0x7F >> length);
		for (int i = 1; i < length; i++) {
			int next = at(i);
			if (next < 0 || (next & 0xC0) != 0x80) {
				return -1;
			}
			code = (code << 6) | (next & 0x3F);
		}
		return code;
	}

	@Override
	public String toString() {
		int from = Math.max(0, this.pos - 20);
		return "JsonInput at " + offset(this.pos) + ": "
				+ new String(Arrays.copyOfRange(this.buffer, from, Math.min(this.limit, this.pos + 20)));
	}

}
