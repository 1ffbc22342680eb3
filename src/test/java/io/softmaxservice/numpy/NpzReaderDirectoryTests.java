package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link NpzReader} reads a zip's directory, on one-member archives written field by
 * field: zip64 sizes, offsets and end of directory as Python's {@code zipfile} writes
 * them for large archives, and every offset or size that points outside the archive
 * refused as damaged (a 400), never an internal error.
 */
class NpzReaderDirectoryTests {

	private static final long LIMIT = 1 << 20;

	private static final byte[] NPY = NpyReaderTests.npy("<f8", "(2, 2)", 1, 2, 3, 4);

	@ParameterizedTest(name = "deflated {0}, zip64 end of directory {1}")
	@CsvSource({ "false, false", "true, false", "false, true", "true, true" })
	void readsZip64SizesAndOffsetAndEndOfDirectory(boolean deflate, boolean zip64End) {
		Archive archive = new Archive(deflate);
		archive.zip64 = new @Nullable Long[] { (long) NPY.length, (long) archive.data().length, 0L };
		archive.zip64End = zip64End;
		assertThat(read(archive.bytes()).values()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void readsAnArchiveWithoutZip64() {
		assertThat(read(new Archive(true).bytes()).values()).containsExactly(1, 2, 3, 4);
	}

	@ParameterizedTest
	@ValueSource(longs = { -1, Long.MIN_VALUE })
	void refusesANegativeZip64Size(long size) {
		Archive archive = new Archive(true);
		archive.zip64 = new @Nullable Long[] { size, null, null };
		assertDamaged(archive.bytes(), "a member's size is out of bounds");
	}

	@ParameterizedTest
	@CsvSource({ "4611686018427387904, a member's data is out of bounds", "-1, a member's data is out of bounds" })
	void refusesAZip64CompressedSizeOutsideTheArchive(long compressedSize, String reason) {
		Archive archive = new Archive(false);
		archive.zip64 = new @Nullable Long[] { (long) NPY.length, compressedSize, null };
		assertDamaged(archive.bytes(), reason);
	}

	@ParameterizedTest
	@ValueSource(longs = { -5, 1, 1L << 40 })
	void refusesAZip64OffsetThatIsNotALocalHeader(long offset) {
		Archive archive = new Archive(true);
		archive.zip64 = new @Nullable Long[] { null, null, offset };
		assertDamaged(archive.bytes(), "a member's local header is missing");
	}

	@Test
	void refusesAZip64EndOfDirectoryWithoutItsLocator() {
		Archive archive = new Archive(true);
		archive.zip64End = true;
		byte[] zip = archive.bytes();
		zip[zip.length - 22 - 20] = 0;
		assertDamaged(zip, "its zip64 directory locator is missing");
	}

	@ParameterizedTest
	@ValueSource(longs = { -1, 0, 1L << 40 })
	void refusesAZip64LocatorThatPointsAtNoEndOfDirectory(long offset) {
		Archive archive = new Archive(true);
		archive.zip64End = true;
		byte[] zip = archive.bytes();
		ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putLong(zip.length - 22 - 20 + 8, offset);
		assertDamaged(zip, "its zip64 end of directory is missing");
	}

	@ParameterizedTest
	@CsvSource({ "1, 100000, its central directory is out of bounds", "2, 0, its central directory is out of bounds",
			"1, -1, its central directory is damaged" })
	void refusesADirectoryOutsideTheArchive(int entries, int offsetShift, String reason) {
		byte[] zip = new Archive(true).bytes();
		ByteBuffer end = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
		int at = zip.length - 22;
		end.putShort(at + 8, (short) entries).putShort(at + 10, (short) entries);
		end.putInt(at + 16, end.getInt(at + 16) + offsetShift);
		assertDamaged(zip, reason);
	}

	@Test
	void refusesAnArchiveWhoseLastBytesAreNotItsEndOfDirectory() {
		byte[] whole = new Archive(false).bytes();
		byte[] zip = Arrays.copyOf(whole, whole.length + 1);
		assertDamaged(zip, "it has no end of central directory");
	}

	@Test
	void readsAnArchiveWithAComment() {
		Archive archive = new Archive(true);
		archive.comment = "written by hand; PK\u0005\u0006 in a comment is not its end of directory";
		assertThat(read(archive.bytes()).values()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void refusesANameThatRunsPastTheDirectory() {
		Archive archive = new Archive(false);
		archive.extraNameLength = 40;
		assertDamaged(archive.bytes(), "its central directory is damaged");
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 1, 8 })
	void refusesADeflatedMemberThatDoesNotInflateToItsDeclaredSize(int error) {
		Archive archive = new Archive(true);
		archive.zip64 = new @Nullable Long[] { (long) NPY.length + error, null, null };
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(archive.bytes()))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo(
					"The archive member 'logits.npy' does not inflate to its declared size; the archive is damaged."));
	}

	@ParameterizedTest(name = "deflated {0}")
	@ValueSource(booleans = { false, true })
	void reportsTheRuleAMemberWithAGoodChecksumBreaks(boolean deflate) {
		Archive archive = new Archive(deflate);
		archive.content = NpyReaderTests.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
				ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(Double.NaN).array());
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(archive.bytes()))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/1"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("nan"));
	}

	private static Tensor read(byte[] zip) {
		Member member = NpzReader.read(zip, LIMIT).get("logits");
		assertThat(member).isNotNull();
		return member.read((content, crc) -> NpyReader.read(content, "/logits", EnumSet.allOf(Kind.class), 100, crc));
	}

	private static void assertDamaged(byte[] zip, String reason) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(zip))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("malformed-npz"))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("The body is not a valid .npz archive: " + reason
					+ "; write it with numpy.savez or numpy.savez_compressed."));
	}

	/** One member, {@code logits.npy}, with the directory fields a test sets. */
	private static final class Archive {

		final int method;

		byte[] content = NPY;

		/** Size, compressed size and local offset given in a zip64 extra field. */
		@Nullable Long[] zip64 = new @Nullable Long[3];

		boolean zip64End;

		String comment = "";

		int extraNameLength;

		Archive(boolean deflate) {
			this.method = deflate ? 8 : 0;
		}

		byte[] data() {
			if (this.method == 0) {
				return this.content;
			}
			Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
			deflater.setInput(this.content);
			deflater.finish();
			byte[] out = new byte[this.content.length + 64];
			int length = deflater.deflate(out);
			deflater.end();
			return Arrays.copyOf(out, length);
		}

		byte[] bytes() {
			byte[] data = data();
			CRC32 crc = new CRC32();
			crc.update(this.content);
			byte[] name = "logits.npy".getBytes(StandardCharsets.US_ASCII);
			ByteBuffer zip = ByteBuffer.allocate(512 + data.length).order(ByteOrder.LITTLE_ENDIAN);
			zip.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) this.method).putInt(0);
			zip.putInt((int) crc.getValue()).putInt(data.length).putInt(this.content.length);
			zip.putShort((short) name.length).putShort((short) 0).put(name).put(data);
			int directory = zip.position();
			long[] fields = { this.content.length, data.length, 0 };
			ByteBuffer extra = ByteBuffer.allocate(28)
				.order(ByteOrder.LITTLE_ENDIAN)
				.putShort((short) 1)
				.putShort((short) 0);
			for (int f = 0; f < 3; f++) {
				Long value = this.zip64[f];
				if (value != null) {
					extra.putLong(value);
					fields[f] = 0xffffffffL;
				}
			}
			int extraLength = (extra.position() > 4) ? extra.position() : 0;
			extra.putShort(2, (short) (extraLength - 4));
			zip.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0);
			zip.putShort((short) this.method).putInt(0).putInt((int) crc.getValue());
			zip.putInt((int) fields[1]).putInt((int) fields[0]).putShort((short) (name.length + this.extraNameLength));
			zip.putShort((short) extraLength).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0);
			zip.putInt((int) fields[2]).put(name).put(extra.array(), 0, extraLength);
			int directorySize = zip.position() - directory;
			if (this.zip64End) {
				int record = zip.position();
				zip.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0);
				zip.putLong(1).putLong(1).putLong(directorySize).putLong(directory);
				zip.putInt(0x07064b50).putInt(0).putLong(record).putInt(1);
			}
			short entries = (short) (this.zip64End ? 0xffff : 1);
			zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort(entries).putShort(entries);
			byte[] comment = this.comment.getBytes(StandardCharsets.US_ASCII);
			zip.putInt(directorySize).putInt(this.zip64End ? 0xffffffff : directory).putShort((short) comment.length);
			zip.put(comment);
			return Arrays.copyOf(zip.array(), zip.position());
		}

	}

}
