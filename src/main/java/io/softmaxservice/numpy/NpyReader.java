package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.Checksum;

import io.softmaxservice.numpy.NpyHeader.ElementType;
import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import org.jspecify.annotations.Nullable;

/**
 * Reads one {@code .npy} array (format versions 1.0 to 3.0) into a {@link Tensor}, in
 * bulk from its bytes: float64 arrays give float64 tensors, float32 and float16 arrays
 * float32 tensors, integer and bool arrays float64 tensors of their values (bools as 0
 * and 1). A C-ordered float32 or float64 array stays the bytes it was read from
 * ({@link Tensor#ofBytes}), checked here and converted where it is copied into ND4J.
 * Fortran-ordered arrays are reordered to row-major, so every value keeps its logical
 * position. The contract's structure rules apply as for JSON: rank at most 8, no empty
 * dimension, no {@code NaN}, the element limit; errors point into the member as into a
 * JSON array ({@code /logits/3/7}).
 */
final class NpyReader {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	/** The longest header read; NumPy's own reader stops at 10,000 bytes. */
	static final int MAX_HEADER_BYTES = 65535;

	private NpyReader() {
	}

	/**
	 * Reads an array.
	 * @param npy the file's bytes, from its position to its limit
	 * @param pointer the pointer of the field it gives, e.g. {@code /logits}
	 * @param kinds the element kinds this field takes
	 * @param maxElements the element limit
	 * @return the tensor
	 */
	static Tensor read(ByteBuffer npy, String pointer, Set<Kind> kinds, int maxElements) {
		return read(npy, pointer, kinds, maxElements, null);
	}

	/**
	 * Reads an array and checksums its bytes on the way, so that an archive member's
	 * CRC-32 costs no pass over memory of its own.
	 * @param npy the file's bytes, from its position to its limit
	 * @param pointer the pointer of the field it gives, e.g. {@code /logits}
	 * @param kinds the element kinds this field takes
	 * @param maxElements the element limit
	 * @param checksum updated with every byte of the file when the array is read; partly
	 * updated when it is refused
	 * @return the tensor
	 */
	static Tensor read(ByteBuffer npy, String pointer, Set<Kind> kinds, int maxElements, @Nullable Checksum checksum) {
		return read(npy, pointer, kinds, maxElements, checksum, false);
	}

	/**
	 * Reads an array and checksums its bytes on the way, as
	 * {@link #read(ByteBuffer, String, Set, int, Checksum)} does, from bytes that the
	 * caller may hand over: then a float array kept as its bytes may lend them to the
	 * answer computed from it ({@link Tensor#ofOwnedBytes}).
	 * @param npy the file's bytes, from its position to its limit
	 * @param pointer the pointer of the field it gives, e.g. {@code /logits}
	 * @param kinds the element kinds this field takes
	 * @param maxElements the element limit
	 * @param checksum updated with every byte of the file when the array is read; partly
	 * updated when it is refused
	 * @param owned whether nothing else reads or writes these bytes, not even another
	 * tensor read from them
	 * @return the tensor
	 */
	static Tensor read(ByteBuffer npy, String pointer, Set<Kind> kinds, int maxElements, @Nullable Checksum checksum,
			boolean owned) {
		return read(npy, pointer, kinds, maxElements, checksum, owned, (bytes) -> {
		});
	}

	/**
	 * Reads an array as {@link #read(ByteBuffer, String, Set, int, Checksum, boolean)}
	 * does, telling the caller first when its values are about to be widened into doubles
	 * (float16, integers, bools, Fortran order: up to eight times the bytes they were
	 * read from).
	 * @param npy the file's bytes, from its position to its limit
	 * @param pointer the pointer of the field it gives, e.g. {@code /logits}
	 * @param kinds the element kinds this field takes
	 * @param maxElements the element limit
	 * @param checksum updated with every byte of the file when the array is read; partly
	 * updated when it is refused
	 * @param owned whether nothing else reads or writes these bytes
	 * @param beforeWidening told the bytes of doubles about to be allocated, once the
	 * header is checked; it may wait, or throw to refuse the request
	 * @return the tensor
	 */
	static Tensor read(ByteBuffer npy, String pointer, Set<Kind> kinds, int maxElements, @Nullable Checksum checksum,
			boolean owned, LongConsumer beforeWidening) {
		try {
			return readArray(npy, pointer, kinds, maxElements, checksum, owned, beforeWidening);
		}
		catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException ex) {
			throw NpyHeader.invalid(pointer, "it is shorter than its header says");
		}
	}

	private static Tensor readArray(ByteBuffer npy, String pointer, Set<Kind> kinds, int maxElements,
			@Nullable Checksum checksum, boolean owned, LongConsumer beforeWidening) {
		ByteBuffer bytes = npy.slice().order(ByteOrder.LITTLE_ENDIAN);
		if (bytes.remaining() < 10 || !bytes.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
			throw NpyHeader.invalid(pointer, "it does not start with NumPy's magic string");
		}
		int major = bytes.get(6);
		if (major < 1 || major > 3 || bytes.get(7) != 0) {
			throw NpyHeader.invalid(pointer,
					"its format version " + major + "." + bytes.get(7) + " is not one of 1.0, 2.0, 3.0");
		}
		int prefix = (major == 1) ? 10 : 12;
		long headerLength = (major == 1) ? Short.toUnsignedInt(bytes.getShort(8))
				: (bytes.remaining() >= 12) ? Integer.toUnsignedLong(bytes.getInt(8)) : Long.MAX_VALUE;
		if (headerLength > MAX_HEADER_BYTES || prefix + headerLength > bytes.remaining()) {
			throw NpyHeader.invalid(pointer,
					"its header is longer than the file or than " + MAX_HEADER_BYTES + " bytes");
		}
		byte[] headerBytes = new byte[(int) headerLength];
		bytes.get(prefix, headerBytes);
		String text = new String(headerBytes, (major == 3) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		NpyHeader header = NpyHeader.parse(text, pointer);
		ElementType type = header.type();
		if (!kinds.contains(type.kind())) {
			throw new InvalidInputException(pointer,
					"The array's dtype is " + type.numpyName() + "; send " + describe(kinds) + " here.", "wrong-type");
		}
		int[] shape = checkShape(header.shape(), pointer, maxElements);
		int count = (int) Tensor.elementCount(shape);
		ByteBuffer data = bytes.slice(prefix + (int) headerLength, bytes.remaining() - prefix - (int) headerLength)
			.order(type.order());
		if (data.remaining() != (long) count * type.size()) {
			throw NpyHeader.invalid(pointer, "it has " + data.remaining() + " bytes of data but its shape and dtype "
					+ "need " + (long) count * type.size());
		}
		if (checksum != null) {
			checksum.update(bytes.slice(0, prefix + (int) headerLength));
		}
		DType dtype = (type.kind() == Kind.FLOAT && type.size() < 8) ? DType.FLOAT32 : DType.FLOAT64;
		if (type.kind() == Kind.FLOAT && type.size() > 2 && !header.fortranOrder()) {
			// Kept as read: checked here (where its infinities are is kept too, for the
			// validator), converted where it is copied into ND4J.
			TensorBytes.NonFinite found = TensorBytes.checkFloats(data, type.size(), checksum);
			if (found.firstNaN() >= 0) {
				throw nan(shape, pointer, found.firstNaN());
			}
			return (owned && !data.isReadOnly()) ? Tensor.ofOwnedBytes(shape, data, dtype, found)
					: Tensor.ofBytes(shape, data, dtype, found);
		}
		beforeWidening.accept((long) count * Double.BYTES * (header.fortranOrder() ? 2 : 1));
		double[] values = new double[count];
		int firstNaN = (type.kind() == Kind.FLOAT) ? TensorBytes.readFloats(data, type.size(), values, checksum)
				: wholeNumbers(data, type, values, checksum);
		if (header.fortranOrder()) {
			values = toRowMajor(values, shape);
			firstNaN = (firstNaN < 0) ? -1 : firstNaN(values);
		}
		if (firstNaN >= 0) {
			throw nan(shape, pointer, firstNaN);
		}
		return new Tensor(shape, values, dtype);
	}

	private static InvalidInputException nan(int[] shape, String pointer, int index) {
		return new InvalidInputException(Tensor.pointer(shape, pointer, index), "NaN is not allowed; send a number.",
				"nan");
	}

	private static int[] checkShape(long[] dims, String pointer, int maxElements) {
		if (dims.length > Tensor.MAX_RANK) {
			throw new InvalidInputException(pointer,
					"Too many dimensions: a tensor may have at most " + Tensor.MAX_RANK + ".", "rank");
		}
		int[] shape = new int[dims.length];
		boolean tooLarge = false;
		for (int d = 0; d < dims.length; d++) {
			if (dims[d] == 0) {
				throw new InvalidInputException(pointer + "/0".repeat(d),
						"Empty array: every dimension of a tensor must have length 1 or more.", "empty");
			}
			tooLarge |= dims[d] > maxElements;
			shape[d] = (int) Math.min(dims[d], maxElements);
		}
		if (tooLarge || Tensor.elementCount(shape) > maxElements) {
			throw new InputTooLargeException(pointer,
					"The tensor has more than " + maxElements + " elements, the limit; send a smaller tensor.");
		}
		return shape;
	}

	/**
	 * Converts integers and bools (small tensors: targets and masks), whatever their byte
	 * order.
	 * @return -1: they hold no NaN
	 */
	private static int wholeNumbers(ByteBuffer data, ElementType type, double[] values, @Nullable Checksum checksum) {
		if (checksum != null) {
			checksum.update(data.duplicate());
		}
		int count = values.length;
		switch (type.kind()) {
			case SIGNED -> {
				for (int i = 0; i < count; i++) {
					values[i] = switch (type.size()) {
						case 1 -> data.get(i);
						case 2 -> data.getShort(2 * i);
						case 4 -> data.getInt(4 * i);
						default -> data.getLong(8 * i);
					};
				}
			}
			case UNSIGNED -> {
				for (int i = 0; i < count; i++) {
					values[i] = switch (type.size()) {
						case 1 -> Byte.toUnsignedInt(data.get(i));
						case 2 -> Short.toUnsignedInt(data.getShort(2 * i));
						case 4 -> Integer.toUnsignedLong(data.getInt(4 * i));
						default -> unsigned(data.getLong(8 * i));
					};
				}
			}
			default -> {
				for (int i = 0; i < count; i++) {
					values[i] = (data.get(i) != 0) ? 1 : 0;
				}
			}
		}
		return -1;
	}

	private static int firstNaN(double[] values) {
		for (int i = 0; i < values.length; i++) {
			if (Double.isNaN(values[i])) {
				return i;
			}
		}
		return -1;
	}

	private static double unsigned(long value) {
		return (value >= 0) ? value : ((value >>> 1) | (value & 1)) * 2.0;
	}

	/**
	 * Reorders column-major values to row-major: walks the row-major positions with an
	 * odometer and keeps the column-major offset of each.
	 */
	static double[] toRowMajor(double[] columnMajor, int[] shape) {
		int rank = shape.length;
		if (rank < 2) {
			return columnMajor;
		}
		int[] strides = new int[rank];
		strides[0] = 1;
		for (int a = 1; a < rank; a++) {
			strides[a] = strides[a - 1] * shape[a - 1];
		}
		double[] rowMajor = new double[columnMajor.length];
		int[] position = new int[rank];
		int offset = 0;
		for (int i = 0; i < rowMajor.length; i++) {
			rowMajor[i] = columnMajor[offset];
			for (int a = rank - 1; a >= 0; a--) {
				offset += strides[a];
				if (++position[a] < shape[a]) {
					break;
				}
				offset -= strides[a] * shape[a];
				position[a] = 0;
			}
		}
		return rowMajor;
	}

	private static String describe(Set<Kind> kinds) {
		if (kinds.contains(Kind.BOOL)) {
			return "a bool array";
		}
		return kinds.contains(Kind.SIGNED) ? "float16, float32, float64 or integer values"
				: "float16, float32 or float64 values";
	}

}
