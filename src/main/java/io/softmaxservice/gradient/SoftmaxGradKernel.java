package io.softmaxservice.gradient;

import java.util.Arrays;
import java.util.Locale;

import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WarmUp;

import org.springframework.stereotype.Component;

/**
 * The derivative of softmax and log-softmax along any axis, in float64, from the stable
 * softmax of {@link SoftmaxKernel} (ND4J or plain Java by size), so logits with huge gaps
 * give finite gradients.
 *
 * <p>
 * With {@code y = softmax(x / T)} and {@code out} the softmax (or log-softmax), the
 * Jacobian {@code J[i, j] = d out_i / d x_j} of one slice is
 * {@code y_i * (δ_ij - y_j) / T} for softmax and {@code (δ_ij - y_j) / T} for
 * log-softmax. The vector-Jacobian product {@code sum_i g_i J[i, j]} therefore needs no
 * Jacobian: {@code y * (g - sum(g * y)) / T} for softmax and {@code (g - y * sum(g)) / T}
 * for log-softmax, the sums along the axis. These are the formulas PyTorch's backward
 * passes use. Keeping only the diagonal, {@code g * y * (1 - y)}, is wrong: it drops the
 * {@code -y_i y_j} terms through which every output depends on every input.
 *
 * <p>
 * Both are formed from the softmax in plain Java ({@link SmallSoftmaxGrad}): the product
 * in one pass of a few operations per element, with compensated sums, where ND4J took
 * seven native passes (a product, a sum, a broadcast subtraction and a product, the
 * temperature's division and the scale's product, the copy out); the Jacobian likewise
 * (see {@link #jacobian}).
 */
@Component
public class SoftmaxGradKernel implements WarmUp {

	private final SoftmaxKernel softmax;

	public SoftmaxGradKernel(SoftmaxKernel softmax) {
		this.softmax = softmax;
	}

	@Override
	public void warmUp() {
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, -1000, 0, 1000);
		Tensor g = Tensor.of(new int[] { 2, 3 }, 1, 0, -1, 2, 3, 4);
		apply(new SoftmaxGradCall(Point.LOGITS, logits, g, Mode.VJP, 1, 1.0, false));
		apply(new SoftmaxGradCall(Point.LOGITS, logits, g, Mode.VJP, 0, 0.5, true));
		apply(new SoftmaxGradCall(Point.LOGITS, logits, null, Mode.JACOBIAN, 1, 1.0, false));
	}

	/**
	 * What a checked request asks for: {@link #vjp} or {@link #jacobian}.
	 * @param call a checked request
	 * @return grad_logits or the Jacobian, in the point's dtype
	 */
	public Tensor apply(SoftmaxGradCall call) {
		return (call.mode() == Mode.JACOBIAN) ? jacobian(call) : vjp(call);
	}

	/**
	 * The vector-Jacobian product {@code grad_logits}.
	 * @param gradient a checked request in mode vjp
	 * @return a tensor of the point's shape and dtype
	 */
	Tensor vjp(SoftmaxGradCall gradient) {
		Tensor g = gradient.gradOutput();
		int axis = gradient.axis();
		// Scaling g by a power of two is exact and commutes with rounding, and with
		// max |g| below 2 no sum below can overflow: only a result that is itself out of
		// range does, when the scale is put back.
		double largest = 0;
		for (double v : g.values()) {
			largest = Math.max(largest, Math.abs(v));
		}
		int exponent = (largest > 0) ? Math.getExponent(largest) : 0;
		double down = Math.scalb(1.0, -exponent);
		double up = Math.scalb(1.0, exponent);
		double t = gradient.temperature();
		double[] scaled = g.values().clone();
		for (int i = 0; i < scaled.length; i++) {
			scaled[i] *= down;
		}
		double[] grad = SmallSoftmaxGrad.vjp(probabilities(gradient), scaled, Slices.of(g.shape(), axis),
				gradient.log());
		// Dividing by a temperature above 1 first, and multiplying by one below 1 last,
		// keeps an intermediate from overflowing when the result does not.
		for (int i = 0; i < grad.length; i++) {
			grad[i] = (t >= 1) ? grad[i] / t * up : grad[i] * up / t;
		}
		return requireFinite(new Tensor(g.shape(), grad, g.dtype()), "/grad_output",
				"scale grad_output down or raise the temperature");
	}

	/**
	 * The Jacobian of every slice along the axis, shaped like the point without the axis,
	 * followed by {@code [C, C]}. The softmax at the point is computed with ND4J or in
	 * plain Java by its size; the Jacobian's elements, one multiplication each, always in
	 * plain Java, in one pass straight into the answer's array: with ND4J they took four
	 * passes over the [M, C, C] result (δ_ij - y_j, times y_i, divided by T, copied out),
	 * each a native call.
	 * @param gradient a checked request in mode jacobian, whose result size was checked
	 * @return the Jacobians in the point's dtype
	 */
	Tensor jacobian(SoftmaxGradCall gradient) {
		Tensor point = gradient.point();
		int axis = gradient.axis();
		int classes = point.dim(axis);
		int[] shape = new int[point.rank() + 1];
		for (int a = 0, k = 0; a < point.rank(); a++) {
			if (a != axis) {
				shape[k++] = point.dim(a);
			}
		}
		shape[point.rank() - 1] = classes;
		shape[point.rank()] = classes;
		double[] jacobian = SmallSoftmaxGrad.jacobian(probabilities(gradient), Slices.of(point.shape(), axis),
				gradient.temperature(), gradient.log());
		return requireFinite(new Tensor(shape, jacobian, point.dtype()), "/temperature", "raise the temperature");
	}

	/**
	 * The softmax output y at the point, in float64: the stable softmax of logits, the
	 * probabilities themselves (shared, not to be modified), or the exponential of
	 * log-probabilities.
	 */
	private double[] probabilities(SoftmaxGradCall gradient) {
		Tensor point = gradient.point();
		if (gradient.kind() == Point.PROBABILITIES) {
			return point.values();
		}
		if (gradient.kind() == Point.LOG_PROBABILITIES) {
			double[] y = new double[point.size()];
			for (int i = 0; i < y.length; i++) {
				y[i] = Math.exp(point.get(i));
			}
			return y;
		}
		return this.softmax.probabilities(point, gradient.axis(), gradient.temperature());
	}

	/**
	 * Refuses a result that overflows the dtype: every intermediate is in range, so an
	 * infinity is the true value overflowing, not an artefact.
	 */
	private static Tensor requireFinite(Tensor result, String pointer, String remedy) {
		DType dtype = result.dtype();
		double[] values = result.values();
		for (int i = 0; i < values.length; i++) {
			if (!Double.isFinite(dtype.round(values[i]))) {
				throw new InvalidInputException(pointer,
						"The derivative overflows " + dtype.name().toLowerCase(Locale.ROOT) + " at element "
								+ Arrays.toString(result.coordinates(i)) + "; " + remedy + ".",
						"overflow");
			}
		}
		return result;
	}

}
