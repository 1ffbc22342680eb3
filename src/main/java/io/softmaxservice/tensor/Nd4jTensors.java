package io.softmaxservice.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

}
