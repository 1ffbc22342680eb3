package io.softmaxservice.gradient;

import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A checked {@code POST /softmax/grad} request, made by {@link SoftmaxGradValidator}:
 * what {@link SoftmaxGradKernel} computes.
 *
 * @param kind how the point is given
 * @param point the point in the dtype to compute in, masked elements set (-Infinity for
 * logits and log-probabilities, 0 for probabilities), its values checked
 * @param gradOutput the upstream gradient for vjp, shaped like the point and finite; null
 * for jacobian
 * @param mode what to return
 * @param axis the axis in {@code [0, rank)}
 * @param temperature a finite number above 0
 * @param log whether to differentiate log-softmax
 */
public record SoftmaxGradCall(Point kind, Tensor point, @Nullable Tensor gradOutput, Mode mode, int axis,
		double temperature, boolean log) {

	/**
	 * The number of input tensor elements, for the {@code softmax.tensor.elements}
	 * metric.
	 * @return the point's size plus grad_output's
	 */
	public long elements() {
		return (long) this.point.size() + ((this.gradOutput != null) ? this.gradOutput.size() : 0);
	}

	/**
	 * The number of elements of the result: the point's, or for a Jacobian the point's
	 * times its number of classes.
	 * @return the result's size
	 */
	public long resultElements() {
		return (long) this.point.size() * ((this.mode == Mode.JACOBIAN) ? this.point.dim(this.axis) : 1);
	}

}
