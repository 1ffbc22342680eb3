package io.softmaxservice.tensor;

import org.bytedeco.javacpp.DoublePointer;
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
	 * Copies a tensor into a new float64 ND4J array, which the caller must close.
	 * @param tensor the tensor
	 * @return a c-ordered array of the same shape
	 */
	public static INDArray toArray(Tensor tensor) {
		if (tensor.rank() == 0) {
			return Nd4j.scalar(tensor.get(0));
		}
		return Nd4j.create(tensor.values(), tensor.longShape(), 'c');
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
