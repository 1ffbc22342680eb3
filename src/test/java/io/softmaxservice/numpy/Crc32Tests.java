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

	private static long crc(byte[] bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

}
