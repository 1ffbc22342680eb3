package io.softmaxservice.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves tensors into and out of ND4J's off-heap arrays with one bulk copy each way. ND4J
 * always computes in float64 here: float32 requests hold float-rounded values and are
 * rounded again when written, which keeps float32 sums far more accurate than a float32
 * loop would.
 */
public final class Nd4jTensors {

	/** Values converted at a time: 32 KiB of float64. */
	private static final int CHUNK = 4096;

	private Nd4jTensors() {
	}

	/**
	 * Copies a tensor into a new float64 ND4J array, which the caller must close: into
	 * uninitialised memory ({@link #uninitialised}), with one bulk copy
	 * ({@code Nd4j.create(double[])} zeroes the memory first, then copies element by
	 * element, which costs as much as a softmax). A tensor read from a binary format is
	 * copied from the bytes it was read from: float64 in the machine's byte order byte
	 * for byte, others converted a cached chunk at a time.
	 * @param tensor the tensor
	 * @return a c-ordered array of the same shape
	 */
	public static INDArray toArray(Tensor tensor) {
		if (tensor.rank() == 0) {
			return Nd4j.scalar(tensor.get(0));
		}
		INDArray array = uninitialised(tensor.longShape());
		Pointer address = array.data().addressPointer();
		ByteBuffer raw = tensor.bytes();
		if (raw == null) {
			double[] values = tensor.values();
			new DoublePointer(address).put(values, 0, values.length);
		}
		else if (tensor.dtype() == DType.FLOAT64 && raw.order() == ByteOrder.nativeOrder() && raw.hasArray()) {
			new BytePointer(address).put(raw.array(), raw.arrayOffset() + raw.position(), raw.remaining());
		}
		else {
			DoublePointer target = new DoublePointer(address);
			TensorBytes.forEachChunk(raw, (tensor.dtype() == DType.FLOAT32) ? Float.BYTES : Double.BYTES,
					(chunk, from, count) -> {
						target.position(from).put(chunk, 0, count);
						return true;
					});
		}
		return array;
	}

	/**
	 * A c-ordered float64 array whose memory is not zeroed: ND4J's own
	 * {@code Nd4j.createUninitialized} zeroes it all the same (its native allocation
	 * clears it), a pass over the memory as long as the copy that fills it. The memory is
	 * JavaCPP's, freed when the array is closed (or, if it never is, when it is garbage,
	 * as ND4J's own arrays are); its data buffer keeps the memory reachable while any
	 * view of it is.
	 * @param shape the dimensions
	 * @return an array the caller fills and closes
	 */
	public static INDArray uninitialised(long[] shape) {
		long count = 1;
		long[] strides = new long[shape.length];
		for (int a = shape.length - 1; a >= 0; a--) {
			strides[a] = count;
			count *= shape[a];
		}
		DoublePointer memory = new DoublePointer(count);
		DataBuffer buffer = Nd4j.createBuffer(memory, DataType.DOUBLE, count, DoubleIndexer.create(memory));
		return new OwningArray(buffer, shape, strides, memory);
	}

	/** An array that frees the memory it was made over when it is closed. */
	private static final class OwningArray extends NDArray {

		private final transient Pointer memory;

		OwningArray(DataBuffer buffer, long[] shape, long[] strides, Pointer memory) {
			super(buffer, shape, strides, 0, 'c');
			this.memory = memory;
		}

		@Override
		public void close() {
			super.close();
			this.memory.close();
		}

	}

	/**
	 * The values of a float64 array as a buffer over ND4J's memory, without copying them:
	 * reads and writes go to the array, and the buffer must not be used once the array is
	 * closed.
	 * @param array a c-ordered float64 array that is not a view
	 * @return a buffer over its values in row-major order, indexed from 0
	 */
	public static DoubleBuffer view(INDArray array) {
		if (array.dataType() != DataType.DOUBLE || array.isView() || array.ordering() != 'c') {
			throw new IllegalArgumentException("Expected a c-ordered float64 array that is not a view");
		}
		long count = array.length();
		DoublePointer values = new DoublePointer(array.data().addressPointer());
		return values.position(0).capacity(count).limit(count).asBuffer();
	}

	/**
	 * Copies an ND4J array out into a tensor.
	 * @param array a float64 array
	 * @param dtype the dtype of the tensor to make
	 * @return a tensor of the array's shape
	 */
	public static Tensor toTensor(INDArray array, DType dtype) {
		if (array.dataType() != DataType.DOUBLE) {
			throw new IllegalArgumentException("Expected a float64 array, got " + array.dataType());
		}
		INDArray source = (array.isView() || array.ordering() != 'c') ? array.dup('c') : array;
		try {
			double[] values = new double[(int) source.length()];
			new DoublePointer(source.data().addressPointer()).get(values, 0, values.length);
			int[] shape = new int[source.rank()];
			for (int a = 0; a < shape.length; a++) {
				shape[a] = (int) source.size(a);
			}
			return new Tensor(shape, values, dtype);
		}
		finally {
			if (source != array) {
				source.close();
			}
		}
	}

	/**
	 * Copies an ND4J array out as the bytes a binary answer writes: float64, or float32
	 * rounded to nearest, in the machine's byte order, a cached chunk at a time. On a
	 * little-endian machine each chunk is checksummed (CRC-32) while it is in the cache,
	 * so that a {@code .npz} answer, whose header carries the checksum, is written
	 * without reading its 16 MB once more. Its doubles are made only if something asks
	 * for them.
	 * @param array a float64 array
	 * @param dtype the dtype of the tensor to make
	 * @return a tensor of the array's shape, over its bytes
	 */
	public static Tensor toBytes(INDArray array, DType dtype) {
		return toAnswer(array, dtype, null);
	}

	/**
	 * Copies a float64 array out as an answer computed from a tensor that is no longer
	 * needed, into that tensor's own memory when it lends it and it fits the answer: its
	 * values ({@link Tensor#lendValues}, a JSON request's logits: the answer is then a
	 * tensor over those values, as float64 or rounded to float32), else its bytes
	 * ({@link Tensor#lendBytes}, a binary request's: the answer is bytes, as
	 * {@link #toBytes(INDArray, DType)} makes them). A large answer then needs no new
	 * array (zeroed by the JVM and, for the heap, a humongous allocation). The lender's
	 * values are unreadable afterwards.
	 * @param array the array, any ordering
	 * @param dtype the dtype of the tensor to make
	 * @param lender the tensor the array was computed from and whose values are no longer
	 * needed, or null
	 * @return a tensor of the array's shape, over the lender's values or over bytes
	 */
	public static Tensor toAnswer(INDArray array, DType dtype, @Nullable Tensor lender) {
		if (array.dataType() != DataType.DOUBLE) {
			throw new IllegalArgumentException("Expected a float64 array, got " + array.dataType());
		}
		INDArray source = (array.isView() || array.ordering() != 'c') ? array.dup('c') : array;
		try {
			int count = (int) source.length();
			int[] shape = new int[source.rank()];
			for (int a = 0; a < shape.length; a++) {
				shape[a] = (int) source.size(a);
			}
			double[] values = (lender != null) ? lender.lendValues(count) : null;
			if (values != null) {
				new DoublePointer(source.data().addressPointer()).get(values, 0, count);
				if (dtype == DType.FLOAT32) {
					for (int i = 0; i < count; i++) {
						values[i] = dtype.round(values[i]);
					}
				}
				return new Tensor(shape, values, dtype);
			}
			int length = count * ((dtype == DType.FLOAT64) ? Double.BYTES : Float.BYTES);
			ByteBuffer bytes = borrow(lender, length);
			if (bytes == null) {
				bytes = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
			}
			Pointer address = source.data().addressPointer();
			CRC32 crc = (bytes.order() == ByteOrder.LITTLE_ENDIAN) ? new CRC32() : null;
			if (dtype == DType.FLOAT64) {
				copy(new BytePointer(address), bytes, crc);
			}
			else {
				narrow(new DoublePointer(address), count, bytes, crc);
			}
			return (crc != null) ? Tensor.ofChecksummedBytes(shape, bytes, dtype, crc.getValue())
					: Tensor.ofBytes(shape, bytes, dtype);
		}
		finally {
			if (source != array) {
				source.close();
			}
		}
	}

	/** The lender's bytes, if it lends them and they are exactly as long as wanted. */
	private static @Nullable ByteBuffer borrow(@Nullable Tensor lender, int length) {
		if (lender == null) {
			return null;
		}
		ByteBuffer bytes = lender.bytes();
		if (bytes == null || bytes.remaining() != length) {
			return null;
		}
		return lender.lendBytes();
	}

	/** Copies bytes out, checksumming a chunk that stays in the cache at a time. */
	private static void copy(BytePointer source, ByteBuffer target, @Nullable CRC32 crc) {
		byte[] array = target.array();
		int start = target.arrayOffset() + target.position();
		int length = target.remaining();
		int chunk = CHUNK * Double.BYTES;
		for (int from = 0; from < length; from += chunk) {
			int n = Math.min(chunk, length - from);
			source.position(from).get(array, start + from, n);
			if (crc != null) {
				crc.update(array, start + from, n);
			}
		}
	}

	/**
	 * Rounds float64 values to float32, a chunk that stays in the cache at a time, and
	 * checksums the chunk's bytes.
	 */
	private static void narrow(DoublePointer source, int count, ByteBuffer target, @Nullable CRC32 crc) {
		FloatBuffer floats = target.asFloatBuffer();
		double[] chunk = new double[Math.min(count, CHUNK)];
		float[] narrowed = new float[chunk.length];
		for (int from = 0; from < count; from += CHUNK) {
			int n = Math.min(CHUNK, count - from);
			source.position(from).get(chunk, 0, n);
			for (int i = 0; i < n; i++) {
				narrowed[i] = (float) chunk[i];
			}
			floats.put(from, narrowed, 0, n);
			if (crc != null) {
				crc.update(target.array(), target.arrayOffset() + target.position() + from * Float.BYTES,
						n * Float.BYTES);
			}
		}
	}

}
