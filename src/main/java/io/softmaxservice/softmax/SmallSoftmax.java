package io.softmaxservice.softmax;

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
	 * The terms of a softmax at {@code T = 1} ({@link SoftmaxTerms}), with the formulas
	 * and the compensated sums of {@link #compute}.
	 * @param x the logits in row-major order, as for {@link #compute}
	 * @param shape their shape
	 * @param slices their layout around the axis
	 * @return the terms
	 */
	static SoftmaxTerms terms(double[] x, int[] shape, Slices slices) {
		double[] z = new double[x.length];
		double[] e = new double[x.length];
		double[] sums = new double[slices.count()];
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
				z[i] = shift(x[i], max, 1.0);
				e[i] = Math.exp(z[i]);
				sum.add(e[i]);
			}
			sums[s] = sum.value();
		}
		return SoftmaxTerms.ofHeap(shape, z, e, sums);
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
