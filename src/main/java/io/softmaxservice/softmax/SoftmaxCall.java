package io.softmaxservice.softmax;

import io.softmaxservice.tensor.Tensor;

/**
 * A checked {@code POST /softmax} request, made by {@link SoftmaxValidator}: what
 * {@link SoftmaxKernel} computes.
 *
 * @param logits the input in the dtype to compute in, masked elements set to -Infinity,
 * no slice all -Infinity, no NaN or +Infinity
 * @param axis the axis in {@code [0, rank)}
 * @param temperature a finite number above 0
 * @param log whether to return log-softmax
 */
public record SoftmaxCall(Tensor logits, int axis, double temperature, boolean log) {

	/**
	 * The number of input tensor elements, for the {@code softmax.tensor.elements}
	 * metric.
	 * @return the logits' size
	 */
	public long elements() {
		return this.logits.size();
	}

}
