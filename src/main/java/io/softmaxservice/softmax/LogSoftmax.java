package io.softmaxservice.softmax;

import java.nio.DoubleBuffer;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float64 log-probabilities of a tensor and, if asked for, its probabilities, where
 * {@link SoftmaxKernel#logSoftmax} computed them (ND4J's memory or the heap), for a
 * kernel that reads them once: it may overwrite the probabilities with an answer of the
 * same shape and take that as a tensor ({@link #answer}). Closing frees ND4J's memory.
 */
public final class LogSoftmax implements AutoCloseable {

	private final int[] shape;

	private final DoubleBuffer logProbabilities;

	private final @Nullable DoubleBuffer probabilities;

	private final @Nullable INDArray logArray;

	private final @Nullable INDArray probabilityArray;

	private LogSoftmax(int[] shape, DoubleBuffer logProbabilities, @Nullable DoubleBuffer probabilities,
			@Nullable INDArray logArray, @Nullable INDArray probabilityArray) {
		this.shape = shape;
		this.logProbabilities = logProbabilities;
		this.probabilities = probabilities;
		this.logArray = logArray;
		this.probabilityArray = probabilityArray;
	}

	static LogSoftmax ofHeap(int[] shape, double[] logProbabilities, double @Nullable [] probabilities) {
		return new LogSoftmax(shape, DoubleBuffer.wrap(logProbabilities),
				(probabilities != null) ? DoubleBuffer.wrap(probabilities) : null, null, null);
	}

	static LogSoftmax ofNd4j(int[] shape, INDArray logProbabilities, @Nullable INDArray probabilities) {
		return new LogSoftmax(shape, Nd4jTensors.view(logProbabilities),
				(probabilities != null) ? Nd4jTensors.view(probabilities) : null, logProbabilities, probabilities);
	}

	/**
	 * The log-probabilities, in row-major order; read-only by contract.
	 * @return a buffer over all of them, indexed from 0
	 */
	public DoubleBuffer logProbabilities() {
		return this.logProbabilities;
	}

	/**
	 * The probabilities, in row-major order, which the caller may overwrite.
	 * @return a buffer over all of them, indexed from 0
	 * @throws IllegalStateException if they were not asked for
	 */
	public DoubleBuffer probabilities() {
		if (this.probabilities == null) {
			throw new IllegalStateException("The probabilities were not computed");
		}
		return this.probabilities;
	}

	/**
	 * What the caller wrote over the probabilities, as a tensor of the logits' shape,
	 * rounded to the dtype: copied out of ND4J's memory into the bytes of the tensor it
	 * was computed from if that lends them ({@link Tensor#lendBytes}).
	 * @param dtype the answer's dtype
	 * @param lender the tensor whose values are no longer needed, or null
	 * @return the answer
	 */
	public Tensor answer(DType dtype, @Nullable Tensor lender) {
		DoubleBuffer values = probabilities();
		if (this.probabilityArray != null) {
			return Nd4jTensors.toBytes(this.probabilityArray, dtype, lender);
		}
		double[] array = values.array();
		for (int i = 0; i < array.length; i++) {
			array[i] = dtype.round(array[i]);
		}
		return new Tensor(this.shape, array, dtype);
	}

	@Override
	public void close() {
		if (this.logArray != null) {
			this.logArray.close();
		}
		if (this.probabilityArray != null) {
			this.probabilityArray.close();
		}
	}

}
