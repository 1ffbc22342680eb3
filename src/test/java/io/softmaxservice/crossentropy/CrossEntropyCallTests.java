package io.softmaxservice.crossentropy;

import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CrossEntropyCall}'s maths: a slice's shares are the documented coefficient of
 * each class, to the bit.
 */
class CrossEntropyCallTests {

	@ParameterizedTest(name = "{0} targets, axis {1}, weights {2}, smoothing {3}")
	@CsvSource({ "index, 1, false, 0", "index, 1, true, 0", "index, 1, true, 0.3", "index, 0, false, 0.1",
			"probability, 1, false, 0", "probability, 1, true, 0.7", "probability, 0, true, 0.1" })
	void sharesOfASliceAreTheShareOfEachClass(String form, int axis, boolean weighted, double smoothing) {
		Tensor logits = Tensor.of(new int[] { 3, 3 }, new double[9]);
		boolean probability = form.equals("probability");
		Tensor target = probability ? Tensor.of(new int[] { 3, 3 }, 0.2, 0.3, 0.5, 1, 0, 0, 0.1, 0.1, 0.8)
				: Tensor.of(new int[] { 3 }, 2, -100, 0);
		Tensor weight = weighted ? Tensor.of(new int[] { 3 }, 0.7, 3, 1.0 / 3) : null;
		CrossEntropyCall call = new CrossEntropyCall(logits, axis, target, probability, weight,
				CrossEntropyCall.DEFAULT_IGNORE_INDEX, Reduction.SUM, smoothing, true);
		Slices slices = Slices.of(logits.shape(), axis);
		double[] shares = { Double.NaN, Double.NaN, Double.NaN };
		for (int s = 0; s < slices.count(); s++) {
			call.shares(slices, s, shares);
			for (int c = 0; c < 3; c++) {
				assertThat(shares[c]).as("position %d class %d", s, c).isEqualTo(share(call, slices, s, c));
			}
		}
		if (!probability) {
			call.shares(slices, 1, shares);
			assertThat(shares).containsExactly(0, 0, 0);
		}
	}

	/**
	 * The coefficient of one class as {@link CrossEntropyCall#shares} documents it:
	 * {@code (1 - ε) w_t [c = t] + ε w_c / C} for index t (0 when ignored),
	 * {@code w_c ((1 - ε) t_c + ε / C)} for probabilities.
	 */
	private static double share(CrossEntropyCall call, Slices slices, int position, int c) {
		double classes = slices.length();
		double w = (call.weight() != null) ? call.weight().get(c) : 1;
		double eps = call.labelSmoothing();
		if (call.probabilityTarget()) {
			double t = call.target().get(slices.start(position) + c * slices.stride());
			return w * ((1 - eps) * t + eps / classes);
		}
		double index = call.target().get(position);
		if (index == call.ignoreIndex()) {
			return 0;
		}
		return ((index == c) ? (1 - eps) * w : 0) + eps * w / classes;
	}

}
