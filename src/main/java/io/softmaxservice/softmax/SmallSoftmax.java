package io.softmaxservice.softmax;

import java.util.Arrays;

import io.softmaxservice.tensor.CompensatedSum;
import io.softmaxservice.tensor.Slices;

/**
 * Softmax and log-softmax in plain Java, for tensors too small to be worth ND4J's fixed
 * cost per native call; the same float64 formulas as {@link Nd4jSoftmax}.
 *
 * <p>
 * Per slice along the axis, with {@code m} its maximum, {@code z = (x - m) / T}: shifted
 * before dividing, so {@code x / T} never overflows for a small {@code T}; every
 * {@code z <= 0} and the largest is 0, so {@code exp(z)} never overflows and the sum
 * {@code s} of the slice's {@code exp(z)} lies in {@code [1, C]}. Probabilities are
 * {@code exp(z) / s}, log-probabilities {@code z - log(s)}. The sum is compensated.
 */
final class SmallSoftmax {

	private SmallSoftmax() {
	}

	/**
	 * Softmax or log-softmax of every slice.
	 * @param x the logits in row-major order: finite or -Infinity, no slice all -Infinity
	 * @param slices their layout around the axis
	 * @param temperature a number above 0
	 * @param log whether to return log-softmax
	 * @return the results in the logits' order
	 */
	static double[] compute(double[] x, Slices slices, double temperature, boolean log) {
		double[] out = new double[x.length];
		int length = slices.length();
		int stride = slices.stride();
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			int end = start + length * stride;
			double max = Double.NEGATIVE_INFINITY;
			for (int i = start; i < end; i += stride) {
				max = Math.max(max, x[i]);
			}
			CompensatedSum sum = new CompensatedSum();
			for (int i = start; i < end; i += stride) {
				double z = shift(x[i], max, temperature);
				double e = Math.exp(z);
				out[i] = log ? z : e;
				sum.add(e);
			}
			double total = sum.value();
			if (log) {
				double logSum = Math.log(total);
				for (int i = start; i < end; i += stride) {
					out[i] -= logSum;
				}
			}
			else {
				for (int i = start; i < end; i += stride) {
					out[i] /= total;
				}
			}
		}
		return out;
	}

	/**
	 * The terms of a softmax at {@code T = 1} ({@link SoftmaxTerms}), normalised: the
	 * log-probabilities of {@link #compute} as the shifted logits, their exponentials and
	 * divisors of 1. Probabilities are then {@code exp(log p)}, as PyTorch forms them in
	 * its gradients, which small inputs match to the bit.
	 * @param x the logits in row-major order, as for {@link #compute}
	 * @param shape their shape
	 * @param slices their layout around the axis
	 * @return the terms
	 */
	static SoftmaxTerms terms(double[] x, int[] shape, Slices slices) {
		double[] logp = compute(x, slices, 1.0, true);
		double[] p = new double[logp.length];
		for (int i = 0; i < p.length; i++) {
			p[i] = Math.exp(logp[i]);
		}
		double[] divisors = new double[slices.count()];
		Arrays.fill(divisors, 1.0);
		return SoftmaxTerms.ofHeap(shape, logp, p, divisors);
	}

	/**
	 * {@code (x - max) / T}, finite whenever the true value is. {@code x - max} overflows
	 * when a finite logit lies more than the largest double below the maximum
	 * ({@code [1.7e308, -1.7e308]}); then it is computed as
	 * {@code ((x / 2 - max / 2) / T) * 2}, which halving makes exact, so that at
	 * {@code T = 2} it gives {@code -1.7e308}, not {@code -Infinity}. A masked logit
	 * ({@code -Infinity}) stays {@code -Infinity}.
	 * @param x a logit
	 * @param max the maximum of its slice, finite
	 * @param temperature a number above 0
	 * @return the shifted, scaled logit
	 */
	static double shift(double x, double max, double temperature) {
		double d = x - max;
		if (d == Double.NEGATIVE_INFINITY && x != Double.NEGATIVE_INFINITY) {
			return ((x * 0.5 - max * 0.5) / temperature) * 2;
		}
		return d / temperature;
	}

}
