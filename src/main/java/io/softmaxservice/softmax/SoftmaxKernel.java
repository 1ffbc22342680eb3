package io.softmaxservice.softmax;

import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WarmUp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import org.springframework.stereotype.Component;

/**
 * Softmax and log-softmax along any axis, computed with ND4J in float64 and stable for
 * any finite logits and any temperature.
 *
 * <p>
 * With {@code m} the maximum along the axis, {@code z = (x - m) / T} is at most 0, so
 * {@code exp(z)} never overflows and the largest term of every sum is exactly 1:
 * {@code softmax(x / T) = exp(z) / sum(exp(z))}. Shifting before dividing keeps
 * {@code x / T} from overflowing for a small {@code T}. Log-softmax is
 * {@code z - log(sum(exp(z)))} (log-sum-exp), never {@code log(softmax)}, which would
 * give {@code -Infinity} wherever a probability underflows. A masked logit
 * ({@code -Infinity}) gives {@code z = -Infinity}, probability 0 and log-probability
 * {@code -Infinity}.
 */
@Component
public class SoftmaxKernel implements WarmUp {

	/**
	 * Softmax or log-softmax of a checked request.
	 * @param call what to compute
	 * @return a tensor of the logits' shape and dtype
	 */
	public Tensor apply(SoftmaxCall call) {
		return apply(call.logits(), call.axis(), call.temperature(), call.log());
	}

	/**
	 * Softmax or log-softmax of a tensor.
	 * @param logits the input: finite values or -Infinity, no slice all -Infinity
	 * @param axis the normalised axis along which outputs sum to 1
	 * @param temperature a finite number above 0
	 * @param log whether to return log-softmax
	 * @return a tensor of the input's shape and dtype
	 */
	public Tensor apply(Tensor logits, int axis, double temperature, boolean log) {
		try (INDArray x = Nd4jTensors.toArray(logits);
				INDArray out = log ? logSoftmax(x, axis, temperature) : softmax(x, axis, temperature)) {
			return Nd4jTensors.toTensor(out, logits.dtype());
		}
	}

	@Override
	public void warmUp() {
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, -1000, 0, Double.NEGATIVE_INFINITY);
		apply(new SoftmaxCall(logits, 1, 1.0, false));
		apply(new SoftmaxCall(logits, 0, 0.5, true));
	}

	/**
	 * {@code softmax(x / T)} along an axis, as a new array the caller must close.
	 * @param x the logits
	 * @param axis the axis
	 * @param temperature the temperature
	 * @return the probabilities
	 */
	public INDArray softmax(INDArray x, int axis, double temperature) {
		INDArray z = shifted(x, axis, temperature);
		Nd4j.exec(new SoftMax(z, z, axis));
		return z;
	}

	/**
	 * {@code log_softmax(x / T)} along an axis, as a new array the caller must close.
	 * @param x the logits
	 * @param axis the axis
	 * @param temperature the temperature
	 * @return the log-probabilities
	 */
	public INDArray logSoftmax(INDArray x, int axis, double temperature) {
		INDArray z = shifted(x, axis, temperature);
		try (INDArray exp = Transforms.exp(z, true); INDArray logSum = exp.sum(true, axis)) {
			Transforms.log(logSum, false);
			return z.subi(logSum);
		}
	}

	/**
	 * {@code (x - max(x)) / T} along the axis: every value at most 0, one of each slice
	 * 0.
	 */
	private static INDArray shifted(INDArray x, int axis, double temperature) {
		try (INDArray max = x.max(true, axis)) {
			INDArray z = x.sub(max);
			return (temperature == 1.0) ? z : z.divi(temperature);
		}
	}

}
