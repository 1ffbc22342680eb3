package io.softmaxservice.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double, or a float, as the shortest decimal that reads back as the same value
 * and, among those, the nearest to it (ties to an even last digit), in Java's notation:
 * {@code 0.001} to {@code 9999999.0} plainly, other magnitudes as {@code 1.0E-5}. This is
 * what {@code Double.toString} prints from JDK 19 on, except that it never pads a
 * one-digit decimal to two ({@code 5.0E-324}, not {@code 4.9E-324}), and it is fast on
 * any JDK.
 *
 * <p>
 * The algorithm is Schubfach (Raffaello Giulietti, "The Schubfach way to render doubles",
 * 2020). A finite positive value is {@code v = c 2^q}; its rounding interval (the reals
 * that read back as v) runs half-way to each neighbour. With
 * {@code k = floor(log10(2^q))} (or of {@code 3/4 2^q} at the bottom of a binade, where
 * the lower neighbour is closer), the interval scaled by {@code 10^-k} is between 1 and
 * 10 units wide, so it holds at most one multiple of 10 and at least one integer.
 * {@code 10^-k} is held as a 126-bit {@code g} ({@code 10^-k ≈ g 2^r}, rounded up); each
 * of {@code v}, the interval's ends times {@code 4 10^-k} is one 64×126-bit product,
 * rounded to odd, which the paper shows never misorders a bound against a candidate. If
 * the multiple of 10 below or above {@code v 10^-k} lies in the interval, it is the
 * shortest decimal; otherwise the nearer of the two integers around {@code v 10^-k} that
 * lies in it.
 */
public final class ShortestDecimal {

	private static final int K_MIN = -324;

	private static final int K_MAX = 292;

	/** {@code g = g1 2^63 + g0} for k from K_MIN to K_MAX, two longs each. */
	private static final long[] G = table();

	private static final long MASK_63 = (1L << 63) - 1;

	private static final byte[] DIGIT_PAIRS = digitPairs();

	private static final long[] POWERS_OF_TEN = { 1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
			100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
			100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
			1_000_000_000_000_000_000L };

	/** The bits of a measure that hold the length of the text. */
	private static final int LENGTH_BITS = 5;

	private static final int LENGTH_MASK = (1 << LENGTH_BITS) - 1;

	/** The ASCII digit 0 in each of eight bytes. */
	private static final long ZEROS = 0x3030_3030_3030_3030L;

	private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final byte[] INFINITY = "Infinity".getBytes(StandardCharsets.ISO_8859_1);

	private static final byte[] NEGATIVE_INFINITY = "-Infinity".getBytes(StandardCharsets.ISO_8859_1);

	private static final byte[] NAN = "NaN".getBytes(StandardCharsets.ISO_8859_1);

	/**
	 * The most bytes one value takes ({@code -2.2250738585072014E-308}) and the most that
	 * writing one may touch.
	 */
	public static final int MAX_LENGTH = 26;

	/** Not a measure: the digits are searched for. */
	private static final long UNMEASURED = -1;

	private ShortestDecimal() {
	}

	/**
	 * Writes a double.
	 * @param value the value
	 * @param out the buffer, with at least {@link #MAX_LENGTH} bytes free from {@code at}
	 * @param at where to write
	 * @return the position after the text
	 */
	public static int write(double value, byte[] out, int at) {
		return write(value, UNMEASURED, out, at);
	}

	/**
	 * Writes a double measured before: the same text as
	 * {@link #write(double, byte[], int)}, without searching for its digits again.
	 * @param value the value
	 * @param measure what {@link #measure(double)} returned for it
	 * @param out the buffer, with at least {@link #MAX_LENGTH} bytes free from {@code at}
	 * @param at where to write
	 * @return the position after the text
	 */
	public static int write(double value, long measure, byte[] out, int at) {
		long bits = Double.doubleToRawLongBits(value);
		int biased = (int) (bits >>> 52) & 0x7FF;
		long t = bits & ((1L << 52) - 1);
		if (biased == 0x7FF) {
			return nonFinite(t != 0, bits < 0, out, at);
		}
		// The sign without a branch: random signs would be mispredicted half the time.
		out[at] = '-';
		int p = at + (int) (bits >>> 63);
		if (biased == 0) {
			if (t == 0) {
				return zero(out, p);
			}
			return decimal(-1074, t, false, measure, out, p);
		}
		int q = biased - 1075;
		long c = t | (1L << 52);
		if (q < 0 && q > -53 && (c & ((1L << -q) - 1)) == 0) {
			// An integer below 2^53: its own digits are the shortest.
			return format(c >> -q, 0, out, p);
		}
		return decimal(q, c, t == 0 && biased > 1, measure, out, p);
	}

	/**
	 * Writes a float.
	 * @param value the value
	 * @param out the buffer, with at least {@link #MAX_LENGTH} bytes free from {@code at}
	 * @param at where to write
	 * @return the position after the text
	 */
	public static int write(float value, byte[] out, int at) {
		return write(value, UNMEASURED, out, at);
	}

	/**
	 * Writes a float measured before: the same text as
	 * {@link #write(float, byte[], int)}, without searching for its digits again.
	 * @param value the value
	 * @param measure what {@link #measure(float)} returned for it
	 * @param out the buffer, with at least {@link #MAX_LENGTH} bytes free from {@code at}
	 * @param at where to write
	 * @return the position after the text
	 */
	public static int write(float value, long measure, byte[] out, int at) {
		int bits = Float.floatToRawIntBits(value);
		int biased = (bits >>> 23) & 0xFF;
		int t = bits & ((1 << 23) - 1);
		if (biased == 0xFF) {
			return nonFinite(t != 0, bits < 0, out, at);
		}
		out[at] = '-';
		int p = at + (bits >>> 31);
		if (biased == 0) {
			if (t == 0) {
				return zero(out, p);
			}
			return decimal(-149, t, false, measure, out, p);
		}
		int q = biased - 150;
		long c = t | (1L << 23);
		if (q < 0 && q > -24 && (c & ((1L << -q) - 1)) == 0) {
			return format(c >> -q, 0, out, p);
		}
		return decimal(q, c, t == 0 && biased > 1, measure, out, p);
	}

	/**
	 * The text of a double, for callers that want a string.
	 * @param value the value
	 * @return e.g. {@code 0.1}, {@code 1.0E-5}, {@code -Infinity}
	 */
	public static String toString(double value) {
		byte[] out = new byte[MAX_LENGTH];
		return new String(out, 0, write(value, out, 0), StandardCharsets.ISO_8859_1);
	}

	/**
	 * The text of a float, for callers that want a string.
	 * @param value the value
	 * @return e.g. {@code 0.1}, {@code 1.0E-45}
	 */
	public static String toString(float value) {
		byte[] out = new byte[MAX_LENGTH];
		return new String(out, 0, write(value, out, 0), StandardCharsets.ISO_8859_1);
	}

	/**
	 * The number of bytes of a measured value's text.
	 * @param measure what {@link #measure(double)} or {@link #measure(float)} returned
	 * @return 1 to 25
	 */
	public static int measuredLength(long measure) {
		return (int) measure & LENGTH_MASK;
	}

	/**
	 * Measures a double without writing it: the number of bytes of its text and the
	 * digits of its decimal, with which {@link #write(double, long, byte[], int)} writes
	 * it later without searching for them again.
	 * @param value the value
	 * @return the length (1 to 25) in the low five bits ({@code (int) measure & 31}), the
	 * digits (fewer than 2^57) above them
	 */
	public static long measure(double value) {
		long bits = Double.doubleToRawLongBits(value);
		int biased = (int) (bits >>> 52) & 0x7FF;
		long t = bits & ((1L << 52) - 1);
		if (biased == 0x7FF) {
			return (t != 0) ? NAN.length : (bits < 0) ? NEGATIVE_INFINITY.length : INFINITY.length;
		}
		int sign = (int) (bits >>> 63);
		if (biased == 0) {
			return sign + ((t == 0) ? 3 : measure(-1074, t, false));
		}
		int q = biased - 1075;
		long c = t | (1L << 52);
		if (q < 0 && q > -53 && (c & ((1L << -q) - 1)) == 0) {
			return sign + formatLength(c >> -q, 0);
		}
		return sign + measure(q, c, t == 0 && biased > 1);
	}

	/**
	 * Measures a float without writing it, as {@link #measure(double)} does a double.
	 * @param value the value
	 * @return the length (1 to 25) in the low five bits, the digits above them
	 */
	public static long measure(float value) {
		int bits = Float.floatToRawIntBits(value);
		int biased = (bits >>> 23) & 0xFF;
		int t = bits & ((1 << 23) - 1);
		if (biased == 0xFF) {
			return (t != 0) ? NAN.length : (bits < 0) ? NEGATIVE_INFINITY.length : INFINITY.length;
		}
		int sign = bits >>> 31;
		if (biased == 0) {
			return sign + ((t == 0) ? 3 : measure(-149, t, false));
		}
		int q = biased - 150;
		long c = t | (1L << 23);
		if (q < 0 && q > -24 && (c & ((1L << -q) - 1)) == 0) {
			return sign + formatLength(c >> -q, 0);
		}
		return sign + measure(q, c, t == 0 && biased > 1);
	}

	/**
	 * Finds the shortest, nearest decimal for {@code c 2^q}, or takes it from a measure,
	 * and formats it.
	 * @param lowerCloser whether v is the bottom of a binade, its lower neighbour half as
	 * far as the upper
	 */
	private static int decimal(int q, long c, boolean lowerCloser, long measure, byte[] out, int p) {
		long f = (measure == UNMEASURED) ? shortest(q, c, lowerCloser) : measure >>> LENGTH_BITS;
		return format(f, exponent(q, lowerCloser), out, p);
	}

	/**
	 * The length of what {@link #decimal} writes, and the digits, as {@link #measure}.
	 */
	private static long measure(int q, long c, boolean lowerCloser) {
		long f = shortest(q, c, lowerCloser);
		return (f << LENGTH_BITS) | formatLength(f, exponent(q, lowerCloser));
	}

	/** k: the shortest decimal for {@code c 2^q} is {@code f 10^k}. */
	private static int exponent(int q, boolean lowerCloser) {
		return lowerCloser ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
	}

	/**
	 * f: the digits of the shortest, nearest decimal {@code f 10^k} for {@code c 2^q}.
	 */
	private static long shortest(int q, long c, boolean lowerCloser) {
		long out1 = c & 1;
		long cb = c << 2;
		long cbr = cb + 2;
		long cbl = lowerCloser ? cb - 1 : cb - 2;
		int k = exponent(q, lowerCloser);
		int h = q + floorLog2Pow10(-k) + 2;
		int index = 2 * (k - K_MIN);
		long g1 = G[index];
		long g0 = G[index + 1];
		long vb = roundToOdd(g1, g0, cb << h);
		long vbl = roundToOdd(g1, g0, cbl << h);
		long vbr = roundToOdd(g1, g0, cbr << h);
		long s = vb >> 2;
		long sp10 = 10 * (s / 10);
		long tp10 = sp10 + 10;
		long t = s + 1;
		long lower = vbl + out1;
		// All three candidates, then a choice in arithmetic on 0 and 1: which one wins
		// depends on the digits, which a branch predictor cannot guess, and the compiler
		// turned the conditions into branches. Whether sp10 (tp10, s, t) is in the
		// interval:
		long upin = atMost(lower, sp10 << 2);
		long wpin = atMost((tp10 << 2) + out1, vbr);
		long uin = atMost(lower, s << 2);
		long win = atMost((t << 2) + out1, vbr);
		// The nearer of s and t to v, the even one on a tie: t when cmp + (s & 1) > 0.
		long cmp = vb - ((s + t) << 1);
		long up = -(cmp + (s & 1)) >>> 63;
		// t if only t is in, the nearer if both are, else s.
		long one = s + (win & ((uin ^ 1) | up));
		// The multiple of 10 if exactly one of them is in, else one.
		long ten = sp10 + 10 * wpin;
		return one + ((ten - one) & -(upin ^ wpin));
	}

	/** 1 if {@code a <= b}, else 0, for a and b at most 2^62 apart. */
	private static long atMost(long a, long b) {
		return 1 - ((b - a) >>> 63);
	}

	/**
	 * {@code g cp 2^-127} rounded to odd, for {@code g = g1 2^63 + g0}: the low bit is
	 * set whenever the dropped bits are not all 0.
	 */
	private static long roundToOdd(long g1, long g0, long cp) {
		long x1 = Math.multiplyHigh(g0, cp);
		long y0 = g1 * cp;
		long y1 = Math.multiplyHigh(g1, cp);
		long z = (y0 >>> 1) + x1;
		long vbp = y1 + (z >>> 63);
		return vbp | ((z & MASK_63) + MASK_63) >>> 63;
	}

	/**
	 * Writes {@code f 10^e} (f > 0, at most 17 digits) in Java's notation. The digits are
	 * scaled to exactly 17 ({@code F = h 10^16 + m 10^8 + l}), or 9 when there are no
	 * more ({@code l = 0}), so that the layout never depends on their number: the first
	 * digit {@code h}, then {@code m} and {@code l} as two 8-byte stores
	 * ({@link #eightDigits}), the point placed among them, and the end cut after the last
	 * significant digit (at least one digit after the point), found from the zero bytes
	 * at the top of the two digit words. Bytes after the text may be written too, never
	 * more than {@link #MAX_LENGTH} from the value's start.
	 */
	private static int format(long f, int e, byte[] out, int p) {
		int length = digitCount(f);
		int exponent = e + length - 1;
		// Divisions by 10^8 as multiply and shift, exact for these ranges (Granlund and
		// Montgomery): floor(x / 10^8) = floor(x c / 2^84) for x < 10^17 with
		// c = ceil(2^84 / 10^8), and = floor(x 1441151881 / 2^57) for x < 10^9.
		long h;
		long middle;
		long low;
		int significant;
		if (length <= 9) {
			// At most 9 digits (every float): scaled to 9, the low word is all zeros.
			long scaled = f * POWERS_OF_TEN[9 - length];
			h = (scaled * 1_441_151_881L) >>> 57;
			middle = eightDigits(scaled - h * 100_000_000);
			low = 0;
			significant = 9 - (Long.numberOfLeadingZeros(middle) >>> 3);
		}
		else {
			long scaled = f * POWERS_OF_TEN[17 - length];
			long hm = Math.multiplyHigh(scaled, 193_428_131_138_340_668L) >>> 20;
			h = (hm * 1_441_151_881L) >>> 57;
			middle = eightDigits(hm - h * 100_000_000);
			low = eightDigits(scaled - hm * 100_000_000);
			significant = 17 - ((low != 0) ? Long.numberOfLeadingZeros(low) >>> 3
					: 8 + (Long.numberOfLeadingZeros(middle) >>> 3));
		}
		middle += ZEROS;
		low += ZEROS;
		if (exponent <= 0 && exponent >= -3) {
			// 0.001 to 9.99...: one layout for all four exponents, chosen without
			// branches, as values on both sides of 1 come in any order. The point is
			// always the second byte; the digits start after -exponent more bytes, the
			// first of them the point itself when the exponent is 0.
			int shift = -exponent;
			boolean units = exponent == 0;
			out[p] = (byte) (units ? '0' + h : '0');
			out[p + 1] = '.';
			out[p + 2] = '0';
			out[p + 3] = '0';
			out[p + 1 + shift] = (byte) (units ? '.' : '0' + h);
			LITTLE_ENDIAN_LONG.set(out, p + 2 + shift, middle);
			LITTLE_ENDIAN_LONG.set(out, p + 10 + shift, low);
			return p + 1 + shift + Math.max(significant, 2 - shift);
		}
		if (exponent > 0 && exponent < 7) {
			out[p] = (byte) ('0' + h);
			// The point after the first `exponent` digits of the middle word.
			long below = (1L << (exponent << 3)) - 1;
			LITTLE_ENDIAN_LONG.set(out, p + 1,
					(middle & below) | ((long) '.' << (exponent << 3)) | ((middle & ~below) << 8));
			out[p + 9] = (byte) (middle >>> 56);
			LITTLE_ENDIAN_LONG.set(out, p + 10, low);
			return p + exponent + 2 + Math.max(1, significant - exponent - 1);
		}
		out[p] = (byte) ('0' + h);
		out[p + 1] = '.';
		LITTLE_ENDIAN_LONG.set(out, p + 2, middle);
		LITTLE_ENDIAN_LONG.set(out, p + 10, low);
		p += 2 + Math.max(1, significant - 1);
		out[p++] = 'E';
		if (exponent < 0) {
			out[p++] = '-';
			exponent = -exponent;
		}
		if (exponent >= 100) {
			out[p++] = (byte) ('0' + exponent / 100);
			exponent %= 100;
			out[p++] = DIGIT_PAIRS[2 * exponent];
			out[p++] = DIGIT_PAIRS[2 * exponent + 1];
		}
		else if (exponent >= 10) {
			out[p++] = DIGIT_PAIRS[2 * exponent];
			out[p++] = DIGIT_PAIRS[2 * exponent + 1];
		}
		else {
			out[p++] = (byte) ('0' + exponent);
		}
		return p;
	}

	/**
	 * The length of what {@link #format} writes for {@code f 10^e}: the same layouts,
	 * from the number of digits and of significant digits (the last not 0).
	 */
	private static int formatLength(long f, int e) {
		int length = digitCount(f);
		int exponent = e + length - 1;
		int zeros = 0;
		for (long rest = f; rest % 10 == 0; rest /= 10) {
			zeros++;
		}
		int significant = length - zeros;
		if (exponent <= 0 && exponent >= -3) {
			return 1 - exponent + Math.max(significant, 2 + exponent);
		}
		if (exponent > 0 && exponent < 7) {
			return exponent + 2 + Math.max(1, significant - exponent - 1);
		}
		int magnitude = Math.abs(exponent);
		return 3 + Math.max(1, significant - 1) + ((exponent < 0) ? 1 : 0)
				+ ((magnitude >= 100) ? 3 : (magnitude >= 10) ? 2 : 1);
	}

	/**
	 * The eight decimal digits of {@code x < 10^8}, the first in the lowest byte, as
	 * values 0-9 (add {@link #ZEROS} for their ASCII text). Each step splits every lane
	 * of the word in two with one multiplication and shift for all lanes at once: into
	 * 4-digit halves in 32-bit lanes, then 2-digit quarters in 16-bit lanes, then digits
	 * in bytes ({@code x / 100 = (x 10486) >> 20} for {@code x < 10^4} and
	 * {@code x / 10 = (x 103) >> 10} for {@code x < 100}).
	 */
	static long eightDigits(long x) {
		long high = (x * 109_951_163L) >>> 40;
		long halves = high | ((x - high * 10_000) << 32);
		long hundreds = ((halves * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
		long quarters = hundreds | ((halves - hundreds * 100) << 16);
		long tens = ((quarters * 103) >>> 10) & 0x000F_000F_000F_000FL;
		return tens | ((quarters - tens * 10) << 8);
	}

	/**
	 * The number of decimal digits of f, from its bit length
	 * ({@code 1233 / 4096 ≈ log10(2)}).
	 */
	private static int digitCount(long f) {
		int guess = ((64 - Long.numberOfLeadingZeros(f)) * 1233) >>> 12;
		return guess + ((f >= POWERS_OF_TEN[guess]) ? 1 : 0);
	}

	private static int zero(byte[] out, int p) {
		out[p] = '0';
		out[p + 1] = '.';
		out[p + 2] = '0';
		return p + 3;
	}

	private static int nonFinite(boolean nan, boolean negative, byte[] out, int p) {
		byte[] text = nan ? NAN : negative ? NEGATIVE_INFINITY : INFINITY;
		System.arraycopy(text, 0, out, p, text.length);
		return p + text.length;
	}

	/** {@code floor(q log10(2))} for |q| up to 2^14. */
	static int floorLog10Pow2(int q) {
		return (int) ((q * 661_971_961_083L) >> 41);
	}

	/** {@code floor(log10(3/4 2^q))} for |q| up to 2^14. */
	static int floorLog10ThreeQuartersPow2(int q) {
		return (int) ((q * 661_971_961_083L - 274_743_187_321L) >> 41);
	}

	/** {@code floor(e log2(10))} for |e| up to 2^12. */
	static int floorLog2Pow10(int e) {
		return (int) ((e * 913_124_641_741L) >> 38);
	}

	/**
	 * {@code g = floor(10^-k 2^(125 - floor(log2(10^-k)))) + 1}, between 2^125 and 2^126,
	 * split into 63-bit halves.
	 */
	private static long[] table() {
		long[] table = new long[2 * (K_MAX - K_MIN + 1)];
		BigInteger mask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
		for (int k = K_MIN; k <= K_MAX; k++) {
			int e = -k;
			int shift = 125 - floorLog2Pow10(e);
			BigInteger g;
			if (e >= 0) {
				BigInteger power = BigInteger.TEN.pow(e);
				g = (shift >= 0) ? power.shiftLeft(shift) : power.shiftRight(-shift);
			}
			else {
				g = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(-e));
			}
			g = g.add(BigInteger.ONE);
			int index = 2 * (k - K_MIN);
			table[index] = g.shiftRight(63).longValueExact();
			table[index + 1] = g.and(mask).longValue();
		}
		return table;
	}

	private static byte[] digitPairs() {
		byte[] pairs = new byte[200];
		for (int i = 0; i < 100; i++) {
			pairs[2 * i] = (byte) ('0' + i / 10);
			pairs[2 * i + 1] = (byte) ('0' + i % 10);
		}
		return pairs;
	}

}
