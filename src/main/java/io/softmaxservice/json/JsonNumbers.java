package io.softmaxservice.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Reads one JSON number token into its correctly rounded double, straight from the
 * input's bytes. Besides the JSON grammar it reads the non-standard tokens {@code NaN},
 * {@code Infinity}, {@code -Infinity}, {@code -INF}, {@code +INF} and {@code +Infinity}
 * that Jackson reads, and says which one it read so that the caller can refuse it.
 *
 * <p>
 * {@link TensorScanner} tries {@link ShortNumbers} first, for the usual literals; this
 * reads any token and reports every error. A literal of at most 19 significant digits is
 * converted by {@link DecimalConversion}. A longer one keeps its first 800 significant
 * digits and a sticky final 1 if any digit after them is not 0: the exact half-way point
 * between two doubles has at most 767 significant digits, so this shorter decimal rounds
 * to the same double, which {@link Double#parseDouble} then finds. So a literal of any
 * length costs time linear in its length and memory bounded by 800 digits.
 */
final class JsonNumbers {

	/** The token was a number literal, {@code Infinity} or {@code -Infinity}. */
	static final int LITERAL = 0;

	/** The token was {@code NaN}. */
	static final int NAN = 1;

	/**
	 * The token was {@code -INF}, {@code +INF} or {@code +Infinity}, which Jackson reads
	 * as infinities; {@link #nonStandard} holds it.
	 */
	static final int NON_STANDARD_INFINITY = 2;

	private static final int MAX_DIGITS = 800;

	private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	/**
	 * The slow path's digits, allocated the first time it runs: most requests never need
	 * them.
	 */
	private byte @Nullable [] digits;

	/**
	 * Which token the last number was: {@link #LITERAL}, {@link #NAN} or
	 * {@link #NON_STANDARD_INFINITY}.
	 */
	int token;

	/** The last non-standard infinity token's text, e.g. {@code +INF}. */
	String nonStandard = "";

	/**
	 * Reads the number at the input's next byte and moves past it.
	 * @param in the input
	 * @param pointer the pointer of the element, computed only for an error
	 * @return the double
	 */
	double read(JsonInput in, Supplier<String> pointer) {
		if (in.limit - in.pos < ShortNumbers.LOOKAHEAD) {
			in.ensure(ShortNumbers.LOOKAHEAD);
		}
		this.token = LITERAL;
		byte[] b = in.buffer;
		int p = in.pos;
		int limit = in.limit;
		boolean negative = false;
		if (b[p] == '-') {
			negative = true;
			p++;
		}
		long w = 0;
		int significant = 0;
		int exponent = 0;
		int c = (p < limit) ? b[p] : -1;
		if (c == '0') {
			p++;
			c = (p < limit) ? b[p] : -1;
			if (c >= '0' && c <= '9') {
				return slow(in, pointer);
			}
		}
		else if (c >= '1' && c <= '9') {
			do {
				w = 10 * w + (c - '0');
				significant++;
				p++;
				c = (p < limit) ? b[p] : -1;
			}
			while (c >= '0' && c <= '9');
		}
		else {
			return slow(in, pointer);
		}
		if (c == '.') {
			p++;
			int start = p;
			if (significant > 0) {
				// Eight digits at a time while they last (they are all significant).
				while (p + 8 <= limit) {
					long chunk = (long) LITTLE_ENDIAN_LONG.get(b, p);
					if (ShortNumbers.digitCount(chunk) != 8) {
						break;
					}
					w = 100_000_000 * w + ShortNumbers.parseEight(chunk - 0x3030_3030_3030_3030L);
					significant += 8;
					exponent -= 8;
					p += 8;
				}
			}
			c = (p < limit) ? b[p] : -1;
			while (c >= '0' && c <= '9') {
				if (significant > 0 || c != '0') {
					w = 10 * w + (c - '0');
					significant++;
				}
				exponent--;
				p++;
				c = (p < limit) ? b[p] : -1;
			}
			if (p == start) {
				return slow(in, pointer);
			}
		}
		if (c == 'e' || c == 'E') {
			p++;
			c = (p < limit) ? b[p] : -1;
			boolean negativeExponent = c == '-';
			if (c == '-' || c == '+') {
				p++;
				c = (p < limit) ? b[p] : -1;
			}
			if (c < '0' || c > '9') {
				return slow(in, pointer);
			}
			int e = 0;
			do {
				if (e < 100_000) {
					e = 10 * e + (c - '0');
				}
				p++;
				c = (p < limit) ? b[p] : -1;
			}
			while (c >= '0' && c <= '9');
			exponent += negativeExponent ? -e : e;
		}
		if (c < 0 || significant > 19) {
			// The buffer ends in the literal, or it is too long for one long.
			return slow(in, pointer);
		}
		double value = DecimalConversion.toDouble(w, exponent, negative);
		if (value != value) {
			return slow(in, pointer);
		}
		in.pos = p;
		return value;
	}

	/**
	 * Reads any number token, however long, and reports the errors of the JSON number
	 * grammar as Jackson does.
	 */
	private double slow(JsonInput in, Supplier<String> pointer) {
		int c = in.at(0);
		if (c == 'N') {
			JsonTokens.keyword(in, "NaN", 0, pointer.get());
			this.token = NAN;
			return Double.NaN;
		}
		if (c == 'I') {
			JsonTokens.keyword(in, "Infinity", 0, pointer.get());
			return Double.POSITIVE_INFINITY;
		}
		if (c == '+') {
			if (in.at(1) == 'I' && (in.at(2) == 'N' || in.at(2) == 'n')) {
				String word = (in.at(2) == 'N') ? "+INF" : "+Infinity";
				JsonTokens.keyword(in, word, 3, pointer.get());
				this.token = NON_STANDARD_INFINITY;
				this.nonStandard = word;
				return Double.POSITIVE_INFINITY;
			}
			throw JsonTokens.notAValue(in, false, pointer.get());
		}
		boolean negative = c == '-';
		int i = negative ? 1 : 0;
		c = in.at(i);
		if (negative && c == 'I') {
			int next = in.at(2);
			if (next == 'N') {
				JsonTokens.keyword(in, "-INF", 3, pointer.get());
				this.token = NON_STANDARD_INFINITY;
				this.nonStandard = "-INF";
				return Double.NEGATIVE_INFINITY;
			}
			if (next == 'n') {
				JsonTokens.keyword(in, "-Infinity", 3, pointer.get());
				return Double.NEGATIVE_INFINITY;
			}
			throw numberError(in, 2, next, "expected digit (0-9) to follow minus sign, for valid numeric value",
					pointer);
		}
		if (c == '.') {
			throw in.error(in.offset(in.pos + i), "Unexpected character ('.'): " + JsonTokens.VALID_VALUES,
					pointer.get());
		}
		if (c < '0' || c > '9') {
			throw numberError(in, i, c, "expected digit (0-9) to follow minus sign, for valid numeric value", pointer);
		}
		if (this.digits == null) {
			this.digits = new byte[MAX_DIGITS + 1];
		}
		Accumulator digits = new Accumulator(this.digits);
		if (c == '0') {
			c = in.at(++i);
			if (c >= '0' && c <= '9') {
				throw in.error(in.offset(in.pos + i), "Invalid numeric value: Leading zeroes not allowed",
						pointer.get());
			}
		}
		else {
			while (c >= '0' && c <= '9') {
				digits.add(c - '0', false);
				c = in.at(++i);
			}
		}
		if (c == '.') {
			c = in.at(++i);
			if (c < '0' || c > '9') {
				throw numberError(in, i, c, "Decimal point not followed by a digit", pointer);
			}
			while (c >= '0' && c <= '9') {
				digits.add(c - '0', true);
				c = in.at(++i);
			}
		}
		if (c == 'e' || c == 'E') {
			c = in.at(++i);
			boolean negativeExponent = c == '-';
			if (c == '-' || c == '+') {
				c = in.at(++i);
			}
			if (c < '0' || c > '9') {
				throw numberError(in, i, c, "Exponent indicator not followed by a digit", pointer);
			}
			long e = 0;
			while (c >= '0' && c <= '9') {
				e = Math.min(10 * e + (c - '0'), 1_000_000_000L);
				c = in.at(++i);
			}
			digits.exponent += negativeExponent ? -e : e;
		}
		in.pos += i;
		return digits.value(negative);
	}

	private static JsonSyntaxException numberError(JsonInput in, int i, int c, String reason,
			Supplier<String> pointer) {
		if (c < 0) {
			return in.endOfInput(" in a Number value", pointer.get());
		}
		in.pos += i;
		JsonSyntaxException error = in.unexpected(" in numeric value: " + reason, pointer.get());
		in.pos -= i;
		return error;
	}

	/** The significant digits of a literal and its decimal exponent. */
	private static final class Accumulator {

		private final byte[] kept;

		private long w;

		private int significant;

		private boolean sticky;

		long exponent;

		Accumulator(byte[] kept) {
			this.kept = kept;
		}

		void add(int digit, boolean fraction) {
			if (this.significant == 0 && digit == 0) {
				this.exponent -= fraction ? 1 : 0;
				return;
			}
			if (this.significant < 19) {
				this.w = 10 * this.w + digit;
			}
			else if (this.significant < MAX_DIGITS) {
				if (this.significant == 19) {
					String first = Long.toUnsignedString(this.w);
					for (int i = 0; i < 19; i++) {
						this.kept[i] = (byte) first.charAt(i);
					}
				}
				this.kept[this.significant] = (byte) ('0' + digit);
			}
			else {
				this.sticky |= digit != 0;
				this.exponent += fraction ? 0 : 1;
				return;
			}
			this.significant++;
			this.exponent -= fraction ? 1 : 0;
		}

		double value(boolean negative) {
			long e = Math.max(-100_000, Math.min(100_000, this.exponent));
			if (this.significant <= 19) {
				double value = DecimalConversion.toDouble(this.w, e, negative);
				if (value == value) {
					return value;
				}
				return parse(Long.toUnsignedString(this.w), e, negative);
			}
			String text = new String(this.kept, 0, this.significant, java.nio.charset.StandardCharsets.ISO_8859_1);
			if (this.sticky) {
				return parse(text + "1", e - 1, negative);
			}
			return parse(text, e, negative);
		}

		private static double parse(String digits, long exponent, boolean negative) {
			double value = Double.parseDouble(digits + "E" + exponent);
			return negative ? -value : value;
		}

	}

}
