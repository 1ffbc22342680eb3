package io.softmaxservice.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
	 * uninitialised memory, with one bulk copy ({@code Nd4j.create(double[])} zeroes the
	 * memory first, then copies element by element, which costs as much as a softmax). A
	 * tensor read from a binary format is copied from the bytes it was read from: float64
	 * in the machine's byte order byte for byte, others converted a cached chunk at a
	 * time.
	 * @param tensor the tensor
	 * @return a c-ordered array of the same shape
	 */
	public static INDArray toArray(Tensor tensor) {
		if (tensor.rank() == 0) {
			return Nd4j.scalar(tensor.get(0));
		}
		INDArray array = Nd4j.createUninitialized(DataType.DOUBLE, tensor.longShape(), 'c');
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
	 * rounded to nearest (a cached chunk at a time), in the machine's byte order. Its
	 * doubles are made only if something asks for them.
	 * @param array a float64 array
	 * @param dtype the dtype of the tensor to make
	 * @return a tensor of the array's shape, over its bytes
	 */
	public static Tensor toBytes(INDArray array, DType dtype) {
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
			Pointer address = source.data().addressPointer();
			ByteBuffer bytes;
			if (dtype == DType.FLOAT64) {
				byte[] out = new byte[count * Double.BYTES];
				new BytePointer(address).get(out, 0, out.length);
				bytes = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
			}
			else {
				bytes = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.nativeOrder());
				narrow(new DoublePointer(address), count, bytes.asFloatBuffer());
			}
			return Tensor.ofBytes(shape, bytes, dtype);
		}
		finally {
			if (source != array) {
				source.close();
			}
		}
	}

	/** Rounds float64 values to float32, a chunk that stays in the cache at a time. */
	private static void narrow(DoublePointer source, int count, FloatBuffer target) {
		double[] chunk = new double[Math.min(count, CHUNK)];
		float[] floats = new float[chunk.length];
		for (int from = 0; from < count; from += CHUNK) {
			int n = Math.min(CHUNK, count - from);
			source.position(from).get(chunk, 0, n);
			for (int i = 0; i < n; i++) {
				floats[i] = (float) chunk[i];
			}
			target.put(from, floats, 0, n);
		}
	}

}
