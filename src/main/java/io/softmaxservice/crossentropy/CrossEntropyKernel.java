package io.softmaxservice.crossentropy;

import java.nio.DoubleBuffer;
import java.util.Locale;

import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxTerms;
import io.softmaxservice.tensor.CompensatedSum;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WarmUp;

import org.springframework.stereotype.Component;

/**
 * Cross-entropy and its gradient, as PyTorch's {@code F.cross_entropy}: the float64
 * softmax terms of {@link SoftmaxKernel#terms} (plain Java or ND4J by size), then the
 * weighted, smoothed sums in compensated float64 arithmetic, in one pass over the terms.
 *
 * <p>
 * With {@code z = x - max} and {@code s = sum(exp(z))} along the class axis,
 * {@code log p = z - log(s)} (log-sum-exp, so {@code [-1000, 0, 1000]} with target 0
 * gives exactly 2000, never an overflow) and {@code p = exp(z) / s}, from the same
 * {@code exp(z)}: one exponential per element. Every form of the loss at one position is
 * {@code l = -sum_c a_c log p_c}, with the coefficients {@code a_c} of
 * {@link CrossEntropyCall#shares}: they carry the class index or probabilities, the class
 * weights, the label smoothing and ignore_index. A class with {@code a_c = 0} adds
 * nothing, even when masked ({@code log p_c = -inf}).
 *
 * <p>
 * Reductions: {@code none} returns {@code l} per position, {@code sum} their sum,
 * {@code mean} their sum divided by {@link CrossEntropyCall#meanDivisor} (PyTorch's
 * weighted mean: the summed weights of the non-ignored class-index targets, or the number
 * of positions for probability targets).
 *
 * <p>
 * Gradient: since {@code d log p_c / d x_j = [c = j] - p_j},
 * {@code d l / d x_j = p_j sum_c a_c - a_j}, multiplied by {@code 1 / meanDivisor} for
 * mean (and by 1 for sum, and for none, whose gradient is that of the summed losses).
 * Without weights or smoothing and with a one-hot target it is the familiar
 * {@code softmax - onehot}; an ignored position has all {@code a_c = 0} and gradient 0.
 */
@Component
public class CrossEntropyKernel implements WarmUp {

	private final SoftmaxKernel softmax;

	public CrossEntropyKernel(SoftmaxKernel softmax) {
		this.softmax = softmax;
	}

	@Override
	public void warmUp() {
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 8, -3, 10, -1000, 0, 1000);
		apply(new CrossEntropyCall(logits, 1, Tensor.of(new int[] { 2 }, 1, 0), false,
				Tensor.of(new int[] { 3 }, 1, 2, 0.5), CrossEntropyCall.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.1,
				true));
	}

	/**
	 * Computes the loss and, if asked for, its gradient, which is written over the
	 * probabilities and from there into the logits' bytes if they lend them
	 * ({@link Tensor#lendBytes}): the logits are not read again.
	 * @param ce a checked request
	 * @return the response, in the request's dtype
	 */
	public CrossEntropyResponse apply(CrossEntropyCall ce) {
		Tensor logits = ce.logits();
		DType dtype = logits.dtype();
		Slices slices = Slices.of(logits.shape(), ce.axis());
		double scale = (ce.reduction() == Reduction.MEAN) ? 1 / ce.meanDivisor() : 1;
		double[] losses = new double[slices.count()];
		double[] shares = new double[slices.length()];
		CompensatedSum total = new CompensatedSum();
		boolean gradientOverflows = false;
		try (SoftmaxTerms terms = this.softmax.terms(logits, ce.axis())) {
			DoubleBuffer z = terms.shifted();
			DoubleBuffer exp = terms.exponentials();
			for (int s = 0; s < slices.count(); s++) {
				ce.shares(slices, s, shares);
				double logDivisor = Math.log(terms.divisor(s));
				CompensatedSum loss = new CompensatedSum();
				CompensatedSum shareSum = new CompensatedSum();
				int start = slices.start(s);
				for (int c = 0, i = start; c < shares.length; c++, i += slices.stride()) {
					double a = shares[c];
					if (a != 0) {
						loss.add(-a * (z.get(i) - logDivisor));
						shareSum.add(a);
					}
				}
				losses[s] = loss.value();
				total.add(losses[s]);
				if (ce.includeGrad()) {
					double divisor = terms.divisor(s);
					double sumA = shareSum.value();
					for (int c = 0, i = start; c < shares.length; c++, i += slices.stride()) {
						double g = (exp.get(i) / divisor * sumA - shares[c]) * scale;
						gradientOverflows |= !dtype.isFinite(g);
						exp.put(i, g);
					}
				}
			}
			Tensor loss = switch (ce.reduction()) {
				case NONE -> new Tensor(CrossEntropyCall.indexShape(logits.shape(), ce.axis()), losses, dtype);
				case SUM -> new Tensor(new int[0], new double[] { total.value() }, dtype);
				case MEAN -> new Tensor(new int[0], new double[] { total.value() * scale }, dtype);
			};
			checkFinite(loss, "loss");
			if (gradientOverflows) {
				throw overflow("gradient", dtype);
			}
			Tensor gradLogits = ce.includeGrad() ? terms.answer(dtype, logits) : null;
			return new CrossEntropyResponse(loss, gradLogits);
		}
	}

	/**
	 * Refuses a result that overflows its dtype: the loss of a target whose logit lies
	 * more than the largest finite value below the maximum, or huge weights.
	 */
	private static void checkFinite(Tensor result, String what) {
		DType dtype = result.dtype();
		for (double value : result.values()) {
			if (!dtype.isFinite(value)) {
				throw overflow(what, dtype);
			}
		}
	}

	private static InvalidInputException overflow(String what, DType dtype) {
		return new InvalidInputException("/logits", "The " + what + " overflows "
				+ dtype.name().toLowerCase(Locale.ROOT) + "; send logits with a smaller range, or smaller weights.",
				"overflow");
	}

}
