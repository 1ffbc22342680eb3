package io.softmaxservice.numpy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;

/**
 * Writes a {@link Tensor} as a {@code .npy} array exactly as {@code numpy.save} does:
 * format version 1.0, little-endian, C order, {@code <f8} for float64 tensors and
 * {@code <f4} for float32 ones, the header padded with spaces (and room for the first
 * dimension to grow to 21 digits) to a multiple of 64 bytes. Values are converted in
 * cache-sized chunks straight into the stream.
 */
final class NpyWriter {

	private static final int ALIGNMENT = 64;

	/** NumPy leaves room in the header for the growth axis to reach this many digits. */
	private static final int GROWTH_AXIS_MAX_DIGITS = 21;

	private NpyWriter() {
	}

	/**
	 * The header of a tensor's file: magic string, version, length and the padded dict.
	 * @param tensor the tensor
	 * @return the bytes that precede the values
	 */
	static byte[] header(Tensor tensor) {
		return header(tensor.shape(), tensor.dtype());
	}

	/**
	 * The header of a file of this shape and type.
	 * @param dims the shape
	 * @param dtype the type
	 * @return the bytes that precede the values
	 */
	static byte[] header(int[] dims, DType dtype) {
		StringBuilder shape = new StringBuilder("(");
		for (int d = 0; d < dims.length; d++) {
			shape.append(dims[d]).append((dims.length == 1) ? "," : (d < dims.length - 1) ? ", " : "");
		}
		shape.append(')');
		StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
			.append("', 'fortran_order': False, 'shape': ")
			.append(shape)
			.append(", }");
		if (dims.length > 0) {
			dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length())));
		}
		int length = dict.length() + 1;
		int padding = ALIGNMENT - ((10 + length) % ALIGNMENT);
		dict.append(" ".repeat(padding)).append('\n');
		byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
		ByteBuffer header = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
		header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
		header.putShort((short) text.length).put(text);
		return header.array();
	}

	/**
	 * The size of a tensor's file.
	 * @param tensor the tensor
	 * @return header and values, in bytes
	 */
	static long size(Tensor tensor) {
		return header(tensor).length + (long) tensor.size() * elementBytes(tensor.dtype());
	}

	/**
	 * Writes a tensor's file.
	 * @param tensor the tensor
	 * @param out where to write it
	 * @throws IOException if the stream fails
	 */
	static void write(Tensor tensor, OutputStream out) throws IOException {
		out.write(header(tensor));
		TensorBytes.write(tensor, out, null);
	}

	/**
	 * The CRC-32 of a tensor's file: its header's joined to its values' (which a tensor
	 * copied out of ND4J already knows), without reading the values again.
	 * @param tensor the tensor
	 * @return the checksum, as {@link CRC32#getValue} gives it
	 */
	static long crc(Tensor tensor) {
		CRC32 crc = new CRC32();
		crc.update(header(tensor));
		return Crc32.concat(crc.getValue(), tensor.crc32(), (long) tensor.size() * elementBytes(tensor.dtype()));
	}

	static String descr(DType dtype) {
		return (dtype == DType.FLOAT32) ? "<f4" : "<f8";
	}

	private static int elementBytes(DType dtype) {
		return (dtype == DType.FLOAT32) ? 4 : 8;
	}

}
