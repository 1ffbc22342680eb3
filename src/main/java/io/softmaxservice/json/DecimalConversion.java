package io.softmaxservice.json;

import java.math.BigInteger;

/**
 * The double nearest to {@code w × 10^q} (ties to even), for a decimal significand of at
 * most 19 digits, without allocating.
 *
 * <p>
 * Clinger's fast path first: when {@code w <= 2^53} and {@code |q| <= 22} both operands
 * are exact doubles and one IEEE multiplication or division rounds correctly. Otherwise
 * the Eisel–Lemire algorithm: {@code w}, normalised to 64 bits, times a 128-bit
 * truncation of {@code 5^q} (scaled to a power of two) gives the leading bits of the
 * exact product; the error of the truncation is below one unit of the low 64 bits, so
 * unless the bits that decide the rounding are all ones (the product may carry into them)
 * or the value sits exactly half-way, they are the bits of the correctly rounded result.
 * Those rare undecided cases, subnormal results and overflow return {@link Double#NaN},
 * and the caller falls back to {@link Double#parseDouble}.
 */
final class DecimalConversion {

	/** Below this exponent every 19-digit significand gives 0. */
	static final int MIN_EXPONENT = -342;

	/** Above this exponent every non-zero significand gives infinity. */
	static final int MAX_EXPONENT = 308;

	private static final double[] EXACT_POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
			1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	/** High and low 64 bits of the 128-bit truncations of 5^q, q from -342 to 308. */
	private static final long[] POWERS_OF_FIVE = powersOfFive();

	private DecimalConversion() {
	}

	/**
	 * The correctly rounded double of {@code ±w × 10^q}.
	 * @param w the significand, read as unsigned (up to 19 decimal digits)
	 * @param q the decimal exponent
	 * @param negative the sign
	 * @return the double, or NaN when this fast conversion cannot decide
	 */
	static double toDouble(long w, long q, boolean negative) {
		if (w == 0 || q < MIN_EXPONENT) {
			return negative ? -0.0 : 0.0;
		}
		if (q > MAX_EXPONENT) {
			return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		int exponent = (int) q;
		if (w > 0 && w <= (1L << 53) && exponent >= -22 && exponent <= 22) {
			double d = (double) w;
			d = (exponent < 0) ? d / EXACT_POWERS_OF_TEN[-exponent] : d * EXACT_POWERS_OF_TEN[exponent];
			return negative ? -d : d;
		}
		return eiselLemire(w, exponent, negative);
	}

	/**
	 * {@link #toDouble} without Clinger's fast path, for significands of 16 or more
	 * digits: for those the fast path's test would go either way from one literal to the
	 * next (it holds for most 16-digit significands and no 17-digit one), and a branch
	 * the processor cannot predict costs more than the multiplication it saves.
	 * @param w the significand, read as unsigned
	 * @param q the decimal exponent
	 * @param negative the sign
	 * @return the double, or NaN when this fast conversion cannot decide
	 */
	static double toDoubleLong(long w, long q, boolean negative) {
		if (w == 0 || q < MIN_EXPONENT) {
			return negative ? -0.0 : 0.0;
		}
		if (q > MAX_EXPONENT) {
			return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		return eiselLemire(w, (int) q, negative);
	}

	private static double eiselLemire(long w, int q, boolean negative) {
		int index = 2 * (q - MIN_EXPONENT);
		long factorHigh = POWERS_OF_FIVE[index];
		// floor(q * log2(10)) + bias + 63: the binary exponent of the product's top bit.
		long exponent = ((217706L * q) >> 16) + 1024 + 63;
		int leadingZeros = Long.numberOfLeadingZeros(w);
		long i = w << leadingZeros;
		long lower = i * factorHigh;
		long upper = unsignedMultiplyHigh(i, factorHigh);
		if ((upper & 0x1FF) == 0x1FF && Long.compareUnsigned(lower + i, lower) < 0) {
			// The truncation error might carry into the deciding bits: use the next 64
			// bits of 5^q too.
			long factorLow = POWERS_OF_FIVE[index + 1];
			long productLow = i * factorLow;
			long productMiddle = lower + unsignedMultiplyHigh(i, factorLow);
			long productHigh = upper;
			if (Long.compareUnsigned(productMiddle, lower) < 0) {
				productHigh++;
			}
			if (productMiddle + 1 == 0 && (productHigh & 0x1FF) == 0x1FF
					&& Long.compareUnsigned(productLow + i, productLow) < 0) {
				return Double.NaN;
			}
			upper = productHigh;
			lower = productMiddle;
		}
		long upperBit = upper >>> 63;
		long mantissa = upper >>> (upperBit + 9);
		leadingZeros += (int) (1 ^ upperBit);
		if (lower == 0 && (upper & 0x1FF) == 0 && (mantissa & 3) == 1) {
			// Exactly half-way between two doubles as far as these bits tell.
			return Double.NaN;
		}
		mantissa += mantissa & 1;
		mantissa >>>= 1;
		if (mantissa >= (1L << 53)) {
			mantissa = 1L << 52;
			leadingZeros--;
		}
		mantissa &= ~(1L << 52);
		long biasedExponent = exponent - leadingZeros;
		if (biasedExponent < 1 || biasedExponent > 2046) {
			return Double.NaN;
		}
		long bits = mantissa | (biasedExponent << 52) | (negative ? Long.MIN_VALUE : 0);
		return Double.longBitsToDouble(bits);
	}

	/** The high 64 bits of the unsigned 128-bit product (JDK 18 has this built in). */
	static long unsignedMultiplyHigh(long x, long y) {
		return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
	}

	/**
	 * For q >= 0, 5^q shifted to exactly 128 bits and truncated; for q < 0, 2^b / 5^-q
	 * rounded up, for b such that it has 128 bits (truncated beyond that).
	 */
	private static long[] powersOfFive() {
		BigInteger two128 = BigInteger.ONE.shiftLeft(128);
		long[] table = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];
		for (int q = MIN_EXPONENT; q <= MAX_EXPONENT; q++) {
			BigInteger value;
			if (q >= 0) {
				value = BigInteger.valueOf(5).pow(q);
				int bits = value.bitLength();
				value = (bits < 128) ? value.shiftLeft(128 - bits) : value.shiftRight(bits - 128);
			}
			else {
				BigInteger power = BigInteger.valueOf(5).pow(-q);
				int z = power.bitLength();
				int b = (q >= -27) ? z + 127 : 2 * z + 128;
				value = BigInteger.ONE.shiftLeft(b).divide(power).add(BigInteger.ONE);
				while (value.compareTo(two128) >= 0) {
					value = value.shiftRight(1);
				}
			}
			int index = 2 * (q - MIN_EXPONENT);
			table[index] = value.shiftRight(64).longValue();
			table[index + 1] = value.longValue();
		}
		return table;
	}

}
