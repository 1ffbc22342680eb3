package io.softmaxservice.numpy;

import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Crc32#concat}: the checksum of two byte sequences one after the other, from
 * theirs, equals the checksum of both read in one go.
 */
class Crc32Tests {

	@ParameterizedTest
	@CsvSource({ "0, 0", "0, 1", "1, 0", "128, 1", "128, 7", "1, 255", "13, 4096", "128, 100003", "3, 1048576" })
	void concatIsTheChecksumOfBothInOneGo(int firstLength, int secondLength) {
		Random random = new Random(firstLength * 31L + secondLength);
		byte[] first = new byte[firstLength];
		byte[] second = new byte[secondLength];
		random.nextBytes(first);
		random.nextBytes(second);
		CRC32 both = new CRC32();
		both.update(first);
		both.update(second);
		assertThat(Crc32.concat(crc(first), crc(second), secondLength)).isEqualTo(both.getValue());
	}

	/**
	 * Joining is associative for any lengths, also those far beyond what a test can
	 * checksum byte by byte (lengths of up to 2^40 bytes use every power of x in the
	 * table and wrap around it).
	 */
	@ParameterizedTest
	@CsvSource({ "1, 1", "17, 4294967296", "1099511627775, 3", "16384000, 2048000", "4294967295, 4294967297" })
	void concatIsAssociativeForLongLengths(long secondLength, long thirdLength) {
		Random random = new Random(secondLength ^ thirdLength);
		long first = random.nextInt() & 0xffffffffL;
		long second = random.nextInt() & 0xffffffffL;
		long third = random.nextInt() & 0xffffffffL;
		assertThat(Crc32.concat(Crc32.concat(first, second, secondLength), third, thirdLength))
			.isEqualTo(Crc32.concat(first, Crc32.concat(second, third, thirdLength), secondLength + thirdLength));
	}

	@ParameterizedTest
	@CsvSource({ "0, 1", "1, 1", "5, 8" })
	void concatWithZeroBytesIsTheChecksumOfThoseZeros(int zeros, int seed) {
		byte[] first = new byte[seed];
		new Random(seed).nextBytes(first);
		CRC32 both = new CRC32();
		both.update(first);
		both.update(new byte[zeros]);
		assertThat(Crc32.concat(crc(first), crc(new byte[zeros]), zeros)).isEqualTo(both.getValue());
	}

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

}
