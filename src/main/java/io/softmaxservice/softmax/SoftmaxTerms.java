package io.softmaxservice.softmax;

import java.nio.DoubleBuffer;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The terms of a softmax along an axis at temperature 1, in float64, where
 * {@link SoftmaxKernel#terms} computed them (ND4J's memory or the heap): the shifted
 * logits {@code z = x - c} for a constant {@code c} per slice, their exponentials
 * {@code exp(z)} and each slice's divisor {@code s}, so that {@code p = exp(z) / s} and
 * {@code log p = z - log(s)} cost a kernel that reads them once no pass of their own.
 * ND4J's terms have {@code c} the maximum and {@code s} the sum of the exponentials
 * (log-sum-exp); plain Java's are normalised, {@code c} the log-sum-exp itself and
 * {@code s = 1}. The kernel may overwrite the exponentials with an answer of the same
 * shape and take it as a tensor ({@link #answer}). Closing frees ND4J's memory.
 */
public final class SoftmaxTerms implements AutoCloseable {

	private final int[] shape;

	private final DoubleBuffer shifted;

	private final DoubleBuffer exponentials;

	private final double[] divisors;

	private final @Nullable INDArray shiftedArray;

	private final @Nullable INDArray exponentialArray;

	private SoftmaxTerms(int[] shape, DoubleBuffer shifted, DoubleBuffer exponentials, double[] divisors,
			@Nullable INDArray shiftedArray, @Nullable INDArray exponentialArray) {
		this.shape = shape;
		this.shifted = shifted;
		this.exponentials = exponentials;
		this.divisors = divisors;
		this.shiftedArray = shiftedArray;
		this.exponentialArray = exponentialArray;
	}

	static SoftmaxTerms ofHeap(int[] shape, double[] shifted, double[] exponentials, double[] divisors) {
		return new SoftmaxTerms(shape, DoubleBuffer.wrap(shifted), DoubleBuffer.wrap(exponentials), divisors, null,
				null);
	}

	static SoftmaxTerms ofNd4j(int[] shape, INDArray shifted, INDArray exponentials, double[] divisors) {
		return new SoftmaxTerms(shape, Nd4jTensors.view(shifted), Nd4jTensors.view(exponentials), divisors, shifted,
				exponentials);
	}

	/**
	 * The shifted logits {@code z = x - c} in row-major order ({@code -Infinity} for
	 * masked ones); read-only by contract.
	 * @return a buffer over all of them, indexed from 0
	 */
	public DoubleBuffer shifted() {
		return this.shifted;
	}

	/**
	 * The exponentials {@code exp(z)} in row-major order, which the caller may overwrite.
	 * @return a buffer over all of them, indexed from 0
	 */
	public DoubleBuffer exponentials() {
		return this.exponentials;
	}

	/**
	 * A slice's divisor: the sum of its exponentials, at least 1 (the maximum's term) and
	 * at most the slice's length, or 1 for normalised terms.
	 * @param slice the slice's index, as {@link io.softmaxservice.tensor.Slices} counts
	 * @return the divisor
	 */
	public double divisor(int slice) {
		return this.divisors[slice];
	}

	/**
	 * What the caller wrote over the exponentials, as a tensor of the logits' shape,
	 * rounded to the dtype: copied out of ND4J's memory into the bytes of the tensor it
	 * was computed from if that lends them ({@link Tensor#lendBytes}).
	 * @param dtype the answer's dtype
	 * @param lender the tensor whose values are no longer needed, or null
	 * @return the answer
	 */
	public Tensor answer(DType dtype, @Nullable Tensor lender) {
		if (this.exponentialArray != null) {
			return Nd4jTensors.toAnswer(this.exponentialArray, dtype, lender);
		}
		double[] values = this.exponentials.array();
		for (int i = 0; i < values.length; i++) {
			values[i] = dtype.round(values[i]);
		}
		return new Tensor(this.shape, values, dtype);
	}

	@Override
	public void close() {
		if (this.shiftedArray != null) {
			this.shiftedArray.close();
		}
		if (this.exponentialArray != null) {
			this.exponentialArray.close();
		}
	}

}
