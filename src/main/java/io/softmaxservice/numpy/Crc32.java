package io.softmaxservice.numpy;

/**
 * Joins two CRC-32s: the checksum of {@code A} followed by {@code B} from the checksums
 * of {@code A} and {@code B} and the length of {@code B}, without reading either, as
 * zlib's {@code crc32_combine} does. A {@code .npz} member's checksum is then its
 * header's joined to its values', which were checksummed when they were copied out of
 * ND4J.
 *
 * <p>
 * A CRC-32 is the remainder of the message's polynomial over GF(2) times {@code x^32},
 * modulo the CRC polynomial {@code p}. Appending {@code n} bytes to {@code A} multiplies
 * its part by {@code x^(8n)}, so {@code crc(A B) = crc(A) x^(8n) mod p ^ crc(B)} (the
 * pre- and post-conditioning cancel out). {@code x^(8n) mod p} is the product of the
 * powers {@code x^(2^k) mod p} for the bits {@code k} set in {@code 8n}, taken from a
 * table of 32 made once: about log2(n) products of 32 steps each, where squaring a 32 x
 * 32 bit matrix for each bit of {@code n} took some thousand.
 */
final class Crc32 {

	/** The reflected CRC-32 polynomial (zip, PNG, zlib), without its x^32 term. */
	private static final long POLYNOMIAL = 0xedb88320L;

	/** {@code x^0}, the polynomial 1, in the reflected order: the highest bit is x^0. */
	private static final long ONE = 1L << 31;

	/**
	 * {@code x^(2^k) mod p} for k = 0..31; x^(2^k) for k >= 32 repeats with period 32.
	 */
	private static final long[] POWERS = new long[32];

	static {
		POWERS[0] = ONE >>> 1;
		for (int k = 1; k < POWERS.length; k++) {
			POWERS[k] = times(POWERS[k - 1], POWERS[k - 1]);
		}
	}

	private Crc32() {
	}

	/**
	 * The CRC-32 of two byte sequences one after the other.
	 * @param first the CRC-32 of the first, as {@link java.util.zip.CRC32#getValue} gives
	 * it
	 * @param second the CRC-32 of the second
	 * @param secondLength the length of the second, in bytes
	 * @return the CRC-32 of both
	 */
	static long concat(long first, long second, long secondLength) {
		if (secondLength <= 0) {
			return first;
		}
		return times(powerOfX(secondLength, 3), first) ^ second;
	}

	/** {@code x^(n 2^k) mod p}: the table's powers for the bits set in n. */
	private static long powerOfX(long n, int k) {
		long product = ONE;
		int power = k;
		for (long rest = n; rest != 0; rest >>>= 1, power++) {
			if ((rest & 1) != 0) {
				product = times(POWERS[power & 31], product);
			}
		}
		return product;
	}

	/**
	 * {@code a b mod p} for polynomials of degree below 32 in the reflected order: for
	 * each term of {@code a}, from x^0 up, add {@code b} times that power of x, then
	 * multiply {@code b} by x (a shift, reduced by p when a term of x^32 comes out).
	 */
	private static long times(long a, long b) {
		long product = 0;
		long multiple = b;
		for (long term = ONE; term != 0; term >>>= 1) {
			if ((a & term) != 0) {
				product ^= multiple;
			}
			multiple = ((multiple & 1) != 0) ? (multiple >>> 1) ^ POLYNOMIAL : multiple >>> 1;
		}
		return product;
	}

}
