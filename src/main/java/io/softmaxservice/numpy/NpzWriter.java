package io.softmaxservice.numpy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.softmaxservice.tensor.Tensor;

/**
 * Writes tensors as an uncompressed {@code .npz} archive, as {@code numpy.savez} does:
 * one stored {@code name.npy} member per tensor, dated 1980-01-01 like NumPy's. Each
 * member's CRC-32 is known before its values are written ({@link NpyWriter#crc}: a tensor
 * copied out of ND4J was checksummed on the way), so that the local header carries it and
 * any zip reader, streaming or not, reads the archive; its size is known in advance, so
 * the archive's is too.
 */
final class NpzWriter {

	private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;

	private static final int VERSION = 20;

	private NpzWriter() {
	}

	/**
	 * The size of the archive of these tensors.
	 * @param tensors the members by name, without {@code .npy}
	 * @return its length in bytes
	 */
	static long size(Map<String, Tensor> tensors) {
		long size = 22;
		for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
			int name = fileName(entry.getKey()).length;
			size += 30 + name + NpyWriter.size(entry.getValue()) + 46 + name;
		}
		return size;
	}

	/**
	 * Writes the archive.
	 * @param tensors the members by name, without {@code .npy}, in the order to write
	 * them
	 * @param out where to write it
	 * @throws IOException if the stream fails
	 */
	static void write(Map<String, Tensor> tensors, OutputStream out) throws IOException {
		List<byte[]> directory = new ArrayList<>();
		long offset = 0;
		for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
			byte[] name = fileName(entry.getKey());
			Tensor tensor = entry.getValue();
			long crc = NpyWriter.crc(tensor);
			long size = NpyWriter.size(tensor);
			ByteBuffer local = header(30, 0x04034b50, name, crc, size);
			out.write(local.array());
			NpyWriter.write(tensor, out);
			ByteBuffer central = header(46, 0x02014b50, name, crc, size);
			central.putInt(42, (int) offset);
			directory.add(central.array());
			offset += local.capacity() + size;
		}
		long directorySize = 0;
		for (byte[] central : directory) {
			out.write(central);
			directorySize += central.length;
		}
		ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
		end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
		end.putShort((short) directory.size()).putShort((short) directory.size());
		end.putInt((int) directorySize).putInt((int) offset).putShort((short) 0);
		out.write(end.array());
	}

	/**
	 * A local (30 bytes) or central (46 bytes) file header of a stored member, up to its
	 * name; a central header's local-header offset is left for the caller.
	 */
	private static ByteBuffer header(int fixed, int signature, byte[] name, long crc, long size) {
		boolean central = fixed == 46;
		ByteBuffer header = ByteBuffer.allocate(fixed + name.length).order(ByteOrder.LITTLE_ENDIAN);
		header.putInt(signature);
		if (central) {
			header.putShort((short) VERSION);
		}
		header.putShort((short) VERSION).putShort((short) 0).putShort((short) 0);
		header.putShort((short) 0).putShort((short) DOS_DATE_1980_01_01);
		header.putInt((int) crc).putInt((int) size).putInt((int) size);
		header.putShort((short) name.length).putShort((short) 0);
		if (central) {
			header.putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0);
		}
		header.put(name);
		return header;
	}

	private static byte[] fileName(String name) {
		return (name + ".npy").getBytes(StandardCharsets.UTF_8);
	}

}
