package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.CRC32;
import java.util.zip.Checksum;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;

/**
 * Reads the members of a {@code .npz} archive (a zip file, as {@code numpy.savez} and
 * {@code numpy.savez_compressed} write it) from its central directory, without trusting
 * it: a member must be stored or deflated and unencrypted, its name plain (no directory),
 * given once ({@code logits} and {@code logits.npy} are the same member), and its
 * declared size within the limit before any byte of it is inflated (a zip bomb is a 413
 * for the price of its directory). Inflating stops at the declared size, so a member that
 * lies about it cannot take more memory either; every member's CRC-32 is checked, in the
 * pass that reads it. The directory is read first and members are inflated only when
 * asked for, so that a caller refuses unknown members before spending memory on them.
 * Stored members are views of the body, not copies.
 */
final class NpzReader {

	private static final int LOCAL_HEADER = 0x04034b50;

	private static final int CENTRAL_HEADER = 0x02014b50;

	private static final int END_OF_DIRECTORY = 0x06054b50;

	private static final int ZIP64_END_OF_DIRECTORY = 0x06064b50;

	private static final int ZIP64_LOCATOR = 0x07064b50;

	private static final int STORED = 0;

	private static final int DEFLATED = 8;

	private NpzReader() {
	}

	/**
	 * Reads an archive's members.
	 * @param body the archive
	 * @param maxMemberBytes the largest inflated size a member may declare
	 * @return each member by its name without {@code .npy}, in directory order
	 */
	static Map<String, Member> read(byte[] body, long maxMemberBytes) {
		try {
			return directory(body, maxMemberBytes);
		}
		catch (IndexOutOfBoundsException ex) {
			throw invalid("it is damaged");
		}
	}

	private static Map<String, Member> directory(byte[] body, long maxMemberBytes) {
		ByteBuffer zip = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
		int end = findEndOfDirectory(zip);
		long entries = Short.toUnsignedInt(zip.getShort(end + 10));
		long directorySize = Integer.toUnsignedLong(zip.getInt(end + 12));
		long directoryOffset = Integer.toUnsignedLong(zip.getInt(end + 16));
		if (entries == 0xffff || directoryOffset == 0xffffffffL || directorySize == 0xffffffffL) {
			int locator = end - 20;
			require(locator >= 0 && zip.getInt(locator) == ZIP64_LOCATOR, "its zip64 directory locator is missing");
			long zip64End = zip.getLong(locator + 8);
			require(zip64End >= 0 && zip64End <= locator - 56 && zip.getInt((int) zip64End) == ZIP64_END_OF_DIRECTORY,
					"its zip64 end of directory is missing");
			entries = zip.getLong((int) zip64End + 32);
			directoryOffset = zip.getLong((int) zip64End + 48);
		}
		require(directoryOffset >= 0 && directoryOffset <= end && entries <= (end - directoryOffset) / 46,
				"its central directory is out of bounds");
		Map<String, Member> members = new LinkedHashMap<>();
		int at = (int) directoryOffset;
		for (long e = 0; e < entries; e++) {
			require(at + 46 <= end && zip.getInt(at) == CENTRAL_HEADER, "its central directory is damaged");
			int flags = Short.toUnsignedInt(zip.getShort(at + 8));
			int method = Short.toUnsignedInt(zip.getShort(at + 10));
			long crc = Integer.toUnsignedLong(zip.getInt(at + 16));
			long compressedSize = Integer.toUnsignedLong(zip.getInt(at + 20));
			long size = Integer.toUnsignedLong(zip.getInt(at + 24));
			int nameLength = Short.toUnsignedInt(zip.getShort(at + 28));
			int extraLength = Short.toUnsignedInt(zip.getShort(at + 30));
			int commentLength = Short.toUnsignedInt(zip.getShort(at + 32));
			long localOffset = Integer.toUnsignedLong(zip.getInt(at + 42));
			int next = at + 46 + nameLength + extraLength + commentLength;
			require(next <= end, "its central directory is damaged");
			String rawName = new String(body, at + 46, nameLength,
					((flags & 0x800) != 0) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
			String name = rawName.endsWith(".npy") ? rawName.substring(0, rawName.length() - 4) : rawName;
			String pointer = "/" + name.replace("~", "~0").replace("/", "~1");
			if (rawName.contains("/") || rawName.contains("\\") || name.isEmpty() || name.contains("\0")) {
				throw new InvalidInputException(pointer,
						"The archive member '" + rawName
								+ "' has a path or no name; name each member after its field, e.g. logits.npy.",
						"unknown-field");
			}
			if ((flags & 1) != 0) {
				throw new InvalidInputException(pointer,
						"The archive member '" + rawName + "' is encrypted; send it unencrypted.", "malformed-npz");
			}
			if (method != STORED && method != DEFLATED) {
				throw new InvalidInputException(pointer, "The archive member '" + rawName + "' uses compression "
						+ "method " + method + "; use numpy.savez (stored) or numpy.savez_compressed (deflated).",
						"malformed-npz");
			}
			// Zip64 sizes and offset, in this order, for the fields that are 0xffffffff.
			long[] zip64 = { size, compressedSize, localOffset };
			readZip64Extra(zip, at + 46 + nameLength, extraLength, zip64);
			size = zip64[0];
			compressedSize = zip64[1];
			localOffset = zip64[2];
			// Zip64 fields are 64-bit and may be negative as read; the rest are unsigned.
			require(size >= 0, "a member's size is out of bounds");
			if (size > maxMemberBytes) {
				throw new InputTooLargeException(pointer,
						"The archive member '" + rawName + "' inflates to " + size
								+ " bytes, more than a tensor within the element limit takes (" + maxMemberBytes
								+ " bytes); send a smaller tensor.");
			}
			require(localOffset >= 0 && localOffset + 30 <= directoryOffset
					&& zip.getInt((int) localOffset) == LOCAL_HEADER, "a member's local header is missing");
			long dataStart = localOffset + 30 + Short.toUnsignedInt(zip.getShort((int) localOffset + 26))
					+ Short.toUnsignedInt(zip.getShort((int) localOffset + 28));
			require(compressedSize >= 0 && dataStart + compressedSize <= directoryOffset,
					"a member's data is out of bounds");
			ByteBuffer data = zip.slice((int) dataStart, (int) compressedSize);
			if (method == STORED && compressedSize != size) {
				throw new InvalidInputException(pointer,
						"The archive member '" + rawName
								+ "' is stored with a size that differs from its length; the archive is damaged.",
						"malformed-npz");
			}
			if (members.put(name,
					new Member(name, rawName, pointer, data, method == DEFLATED, (int) size, crc)) != null) {
				throw new InvalidInputException(pointer,
						"The archive has the member '" + name + "' twice; send each field once.", "duplicate");
			}
			at = next;
		}
		return members;
	}

	private static int findEndOfDirectory(ByteBuffer zip) {
		int last = zip.limit() - 22;
		for (int at = last; at >= 0 && at >= last - 0xffff; at--) {
			if (zip.getInt(at) == END_OF_DIRECTORY
					&& at + 22 + Short.toUnsignedInt(zip.getShort(at + 20)) == zip.limit()) {
				return at;
			}
		}
		throw invalid("it has no end of central directory");
	}

	private static void readZip64Extra(ByteBuffer zip, int start, int length, long[] fields) {
		int at = start;
		while (at + 4 <= start + length) {
			int id = Short.toUnsignedInt(zip.getShort(at));
			int size = Short.toUnsignedInt(zip.getShort(at + 2));
			if (id == 1) {
				int value = at + 4;
				for (int f = 0; f < fields.length; f++) {
					if (fields[f] == 0xffffffffL && value + 8 <= at + 4 + size && value + 8 <= start + length) {
						fields[f] = zip.getLong(value);
						value += 8;
					}
				}
			}
			at += 4 + size;
		}
	}

	/**
	 * Inflates a member into a buffer of its declared size, refusing it if it inflates to
	 * more or to less.
	 */
	private static ByteBuffer inflate(ByteBuffer data, int size, String rawName, String pointer) {
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(data);
			byte[] out = new byte[size];
			int n = 0;
			while (n < size && !inflater.finished()) {
				int read = inflater.inflate(out, n, size - n);
				if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					break;
				}
				n += read;
			}
			boolean more = !inflater.finished() && inflater.inflate(new byte[1]) > 0;
			if (n != size || more || !inflater.finished()) {
				throw new InvalidInputException(pointer, "The archive member '" + rawName
						+ "' does not inflate to its declared size; the archive is damaged.", "malformed-npz");
			}
			return ByteBuffer.wrap(out);
		}
		catch (DataFormatException ex) {
			throw new InvalidInputException(pointer,
					"The archive member '" + rawName + "' is not valid deflate data; the archive is damaged.",
					"malformed-npz");
		}
		finally {
			inflater.end();
		}
	}

	/**
	 * One member of an archive, read from the directory.
	 *
	 * @param name the member's name without {@code .npy}
	 * @param rawName its name in the archive
	 * @param pointer the pointer of the field it gives
	 * @param data its bytes in the archive
	 * @param deflated whether they are deflated
	 * @param size its declared size, within the limit
	 * @param crc its declared CRC-32
	 */
	record Member(String name, String rawName, String pointer, ByteBuffer data, boolean deflated, int size, long crc) {

		/**
		 * Reads the member's content, inflated if need be, with a reader that checksums
		 * it on the way, then checks its CRC-32: one pass over the bytes, not two. A
		 * damaged member is reported as damaged even where its content breaks a rule too.
		 * @param <T> what the reader makes
		 * @param reader reads the content, updating the checksum with all of it
		 * @return what the reader made
		 */
		<T> T read(BiFunction<ByteBuffer, Checksum, T> reader) {
			ByteBuffer content = this.deflated ? inflate(this.data, this.size, this.rawName, this.pointer)
					: this.data.duplicate();
			CRC32 crc = new CRC32();
			T value;
			try {
				value = reader.apply(content.duplicate(), crc);
			}
			catch (InvalidInputException ex) {
				crc.reset();
				crc.update(content);
				verify(crc.getValue());
				throw ex;
			}
			verify(crc.getValue());
			return value;
		}

		private void verify(long crc) {
			if (crc != this.crc) {
				throw new InvalidInputException(this.pointer,
						"The archive member '" + this.rawName + "' fails its CRC-32 check; the archive is damaged.",
						"malformed-npz");
			}
		}

	}

	private static void require(boolean condition, String reason) {
		if (!condition) {
			throw invalid(reason);
		}
	}

	private static InvalidInputException invalid(String reason) {
		return new InvalidInputException("", "The body is not a valid .npz archive: " + reason
				+ "; write it with numpy.savez or numpy.savez_compressed.", "malformed-npz");
	}

}
