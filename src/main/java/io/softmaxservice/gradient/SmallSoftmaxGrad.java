package io.softmaxservice.gradient;

import io.softmaxservice.tensor.CompensatedSum;
import io.softmaxservice.tensor.Slices;

/**
 * The vector-Jacobian product and the Jacobian of softmax and log-softmax in plain Java,
 * for any size, from the softmax {@link SoftmaxGradKernel} computes: each element is a
 * few operations, which one pass here does faster than ND4J's several native calls.
 */
final class SmallSoftmaxGrad {

	private SmallSoftmaxGrad() {
	}

	/**
	 * {@code y * (g - sum(g * y))} (softmax) or {@code g - y * sum(g)} (log-softmax)
	 * along the axis, before the division by T.
	 * @param y the softmax at the point
	 * @param g the upstream gradient, already scaled
	 * @param slices the layout around the axis
	 * @param log whether to differentiate log-softmax
	 * @return the product in row-major order
	 */
	static double[] vjp(double[] y, double[] g, Slices slices, boolean log) {
		double[] out = new double[y.length];
		int stride = slices.stride();
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			int end = start + slices.length() * stride;
			CompensatedSum sum = new CompensatedSum();
			for (int i = start; i < end; i += stride) {
				sum.add(log ? g[i] : g[i] * y[i]);
			}
			double total = sum.value();
			for (int i = start; i < end; i += stride) {
				out[i] = log ? g[i] - y[i] * total : (g[i] - total) * y[i];
			}
		}
		return out;
	}

	/**
	 * The Jacobian of every slice, {@code y_i (δ_ij - y_j) / T} (softmax) or
	 * {@code (δ_ij - y_j) / T} (log-softmax), one {@code [C, C]} block per slice in slice
	 * order. Used for points of any size: each element is two or three operations, which
	 * one pass here does faster than ND4J's several native calls.
	 * @param y the softmax at the point
	 * @param slices the layout around the axis
	 * @param temperature a number above 0
	 * @param log whether to differentiate log-softmax
	 * @return the blocks, row-major
	 */
	static double[] jacobian(double[] y, Slices slices, double temperature, boolean log) {
		int classes = slices.length();
		int stride = slices.stride();
		double[] out = new double[slices.count() * classes * classes];
		double[] row = new double[classes];
		// Multiplying by 1 (log-softmax) and dividing by T = 1 change no value.
		boolean divide = temperature != 1;
		int k = 0;
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			for (int j = 0; j < classes; j++) {
				row[j] = y[start + j * stride];
			}
			for (int i = 0; i < classes; i++, k += classes) {
				double scale = log ? 1.0 : row[i];
				for (int j = 0; j < classes; j++) {
					out[k + j] = (0.0 - row[j]) * scale;
				}
				out[k + i] = (1.0 - row[i]) * scale;
				if (divide) {
					for (int j = 0; j < classes; j++) {
						out[k + j] /= temperature;
					}
				}
			}
		}
		return out;
	}

}
