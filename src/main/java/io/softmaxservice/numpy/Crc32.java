package io.softmaxservice.numpy;

/**
 * Joins two CRC-32s: the checksum of {@code A} followed by {@code B} from the checksums
 * of {@code A} and {@code B} and the length of {@code B}, without reading either, as
 * zlib's {@code crc32_combine} does. A {@code .npz} member's checksum is then its
 * header's joined to its values', which were checksummed when they were copied out of
 * ND4J.
 *
 * <p>
 * A CRC is linear over GF(2): appending {@code n} zero bytes to {@code A} multiplies its
 * register by a fixed 32 x 32 bit matrix {@code M^(8n)}, and {@code crc(A B)} is
 * {@code crc(A 0...0) ^ crc(B)}. The matrix for {@code n} bytes is built by repeated
 * squaring from the matrix of one zero bit, in {@code log2(n)} steps.
 */
final class Crc32 {

	/** The reflected CRC-32 polynomial (zip, PNG, zlib). */
	private static final long POLYNOMIAL = 0xedb88320L;

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
		// The operator for one zero bit, then two, then four.
		long[] odd = new long[32];
		odd[0] = POLYNOMIAL;
		for (int n = 1; n < 32; n++) {
			odd[n] = 1L << (n - 1);
		}
		long[] even = new long[32];
		square(even, odd);
		square(odd, even);
		// Squares give the operators for 1, 2, 4, ... zero bytes, applied where the
		// length has a bit set.
		long crc = first;
		long length = secondLength;
		while (true) {
			square(even, odd);
			if ((length & 1) != 0) {
				crc = times(even, crc);
			}
			length >>>= 1;
			if (length == 0) {
				break;
			}
			square(odd, even);
			if ((length & 1) != 0) {
				crc = times(odd, crc);
			}
			length >>>= 1;
			if (length == 0) {
				break;
			}
		}
		return crc ^ second;
	}

	private static long times(long[] matrix, long vector) {
		long sum = 0;
		long rest = vector;
		for (int i = 0; rest != 0; i++, rest >>>= 1) {
			if ((rest & 1) != 0) {
				sum ^= matrix[i];
			}
		}
		return sum;
	}

	private static void square(long[] square, long[] matrix) {
		for (int n = 0; n < 32; n++) {
			square[n] = times(matrix, matrix[n]);
		}
	}

}
