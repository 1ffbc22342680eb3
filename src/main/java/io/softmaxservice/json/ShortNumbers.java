package io.softmaxservice.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fast path of {@link JsonNumbers}: a number literal of 1-7 integer digits, at most
 * 18 fraction digits, at most 19 significant digits and a 1-3 digit exponent, with at
 * least {@link #LOOKAHEAD} bytes in the buffer from its first byte, read eight bytes at a
 * time. The digits of a run are counted from the first byte that is not a digit
 * ({@link #digitCount}) and parsed by a few multiplications over all eight lanes at once
 * ({@link #digits}), so that a usual literal costs a handful of steps instead of one per
 * byte. Anything else (other tokens, leading zeros, a point without digits, long
 * literals, values {@link DecimalConversion} cannot decide) is left to the byte-by-byte
 * path, which reads every literal and reports every error.
 */
final class ShortNumbers {

	/**
	 * Bytes the buffer must hold from the literal's first: more than the longest literal
	 * this path reads (a sign, 7 digits, a point, 18 digits, an exponent of 5 bytes) and
	 * the 8-byte words it loads.
	 */
	static final int LOOKAHEAD = 64;

	private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long ZEROS = 0x3030_3030_3030_3030L;

	private static final long[] POWERS_OF_TEN = { 1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
			100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
			100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
			1_000_000_000_000_000_000L };

	private ShortNumbers() {
	}

	/**
	 * Reads the literal at the input's next byte and moves past it, if it is one this
	 * path reads.
	 * @param in the input, with at least {@link #LOOKAHEAD} bytes from its position
	 * @return the double, or NaN (the input not moved) if the literal is left to the
	 * byte-by-byte path
	 */
	static double read(JsonInput in) {
		byte[] b = in.buffer;
		int p = in.pos;
		// Branch-free where the next literal may go either way (its sign, the length of
		// its fraction): a branch the processor mispredicts costs more than the work.
		int minus = (((b[p] ^ '-') & 0xFF) - 1) >>> 31;
		boolean negative = minus != 0;
		p += minus;
		long word = (long) LITTLE_ENDIAN_LONG.get(b, p);
		int n = digitCount(word);
		if (n == 0 || n == 8 || (n > 1 && (word & 0xFF) == '0')) {
			return Double.NaN;
		}
		long w = digits(word, n);
		int significant = (w != 0) ? n : 0;
		p += n;
		int exponent = 0;
		if (b[p] == '.') {
			// Up to three words of fraction digits, loaded before their lengths are
			// known.
			int start = p + 1;
			long first = (long) LITTLE_ENDIAN_LONG.get(b, start);
			long second = (long) LITTLE_ENDIAN_LONG.get(b, start + 8);
			long third = (long) LITTLE_ENDIAN_LONG.get(b, start + 16);
			int n1 = digitCount(first);
			int n2 = digitCount(second) & -(n1 >>> 3);
			int n3 = digitCount(third) & -(n2 >>> 3);
			int count = n1 + n2 + n3;
			significant += count;
			if (n1 == 0 || count > 18 || significant > 19) {
				return Double.NaN;
			}
			long fraction = (digits(first, n1) * POWERS_OF_TEN[n2] + digits(second, n2)) * POWERS_OF_TEN[n3]
					+ digits(third, n3);
			w = w * POWERS_OF_TEN[count] + fraction;
			p = start + count;
			exponent = -count;
		}
		if ((b[p] | 0x20) == 'e') {
			p++;
			boolean negativeExponent = b[p] == '-';
			if (negativeExponent || b[p] == '+') {
				p++;
			}
			int e = b[p] - '0';
			if (e < 0 || e > 9) {
				return Double.NaN;
			}
			for (int i = 0; i < 3; i++) {
				int d = b[++p] - '0';
				if (d < 0 || d > 9) {
					break;
				}
				if (i == 2) {
					return Double.NaN;
				}
				e = 10 * e + d;
			}
			exponent += negativeExponent ? -e : e;
		}
		double value = (significant > 15) ? DecimalConversion.toDoubleLong(w, exponent, negative)
				: DecimalConversion.toDouble(w, exponent, negative);
		if (value == value) {
			in.pos = p;
		}
		return value;
	}

	/**
	 * How many of the eight bytes of a little-endian word are ASCII digits before the
	 * first that is not. A byte is flagged when its high half is not 3, or when adding 6
	 * carries its low half out (A-F); a carry out of a byte only reaches the bytes after
	 * it, which do not count once it is flagged.
	 * @param word eight bytes, the first in the lowest
	 * @return 0-8
	 */
	static int digitCount(long word) {
		long flagged = ((word & 0xF0F0_F0F0_F0F0_F0F0L) ^ ZEROS)
				| (((word + 0x0606_0606_0606_0606L) & 0xF0F0_F0F0_F0F0_F0F0L) ^ ZEROS);
		return Long.numberOfTrailingZeros(flagged) >>> 3;
	}

	/**
	 * The value of the first {@code n} bytes of a word, all ASCII digits: they are moved
	 * to the top, so that the bytes below them read as leading zeros (all eight bytes for
	 * {@code n = 0}), and parsed as eight digits.
	 * @param word eight bytes, the first in the lowest
	 * @param n 0-8
	 * @return the value, below {@code 10^n}
	 */
	static long digits(long word, int n) {
		// Two shifts, as a shift by 64 would be a shift by 0.
		int half = 32 - 4 * n;
		return parseEight(((word - ZEROS) << half) << half);
	}

	/**
	 * The value of eight digits (bytes 0-9, the first in the lowest byte): adjacent
	 * digits are combined into pairs, pairs into fours, fours into the eight, each step
	 * one multiplication over all lanes at once.
	 * @param digits eight digits
	 * @return their value
	 */
	static long parseEight(long digits) {
		long pairs = (digits * 10) + (digits >>> 8);
		return (((pairs & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32)))
				+ (((pairs >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)))) >>> 32;
	}

}
