package io.softmaxservice.crossentropy;

import java.math.BigDecimal;
import java.util.Arrays;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;

import org.springframework.stereotype.Component;

/**
 * Checks a {@link CrossEntropyRequest} against the contract, whatever wire format it came
 * in, and resolves its defaults into a {@link CrossEntropyCall}.
 */
@Component
public class CrossEntropyValidator {

	/**
	 * Checks a request: the logits, the axis, the mask's shape, the logits' values with
	 * the mask applied, the target's shape, ignore_index, the weight, label_smoothing,
	 * the target's values, then that no masked class has a share of the target and that a
	 * mean has something to divide by.
	 * @param request the request as bound
	 * @return what to compute
	 * @throws InvalidInputException at the first rule the request breaks
	 */
	public CrossEntropyCall validate(CrossEntropyRequest request) {
		Tensor logits = TensorChecks.requireArray(TensorChecks.required(request.logits(), "/logits"), "/logits");
		DType type = DType.resolve(request.dtype(), logits);
		Tensor x = logits.as(type);
		int axis = TensorChecks.axis(request.axis(), (x.rank() >= 2) ? 1 : 0, x.rank(), "/axis");
		x = TensorChecks.masked(request.mask(), x, "/logits", Double.NEGATIVE_INFINITY);
		TensorChecks.checkLogits(x, axis, "/logits");
		int classes = x.dim(axis);
		Tensor y = TensorChecks.required(request.target(), "/target");
		boolean probability = probabilityTarget(x, axis, y);
		int ignore = (request.ignoreIndex() != null) ? request.ignoreIndex() : CrossEntropyCall.DEFAULT_IGNORE_INDEX;
		if (probability && ignore >= 0) {
			throw new InvalidInputException("/ignore_index",
					"ignore_index " + ignore
							+ " applies to class-index targets only; with class-probability targets leave it out "
							+ "or make it negative.",
					"not-allowed");
		}
		Tensor w = (request.weight() != null) ? checkWeight(request.weight().as(type), classes) : null;
		double smoothing = (request.labelSmoothing() != null) ? request.labelSmoothing() : 0.0;
		if (!(smoothing >= 0 && smoothing <= 1)) {
			throw new InvalidInputException("/label_smoothing",
					"label_smoothing must be a number from 0 to 1, not " + smoothing + ".", "out-of-range");
		}
		if (probability) {
			y = checkProbabilities(y.as(type));
		}
		else {
			checkIndices(y, classes, ignore);
		}
		Reduction reduction = (request.reduction() != null) ? request.reduction() : Reduction.MEAN;
		CrossEntropyCall call = new CrossEntropyCall(x, axis, y, probability, w, ignore, reduction, smoothing,
				Boolean.TRUE.equals(request.includeGrad()));
		checkMaskedShares(call);
		if (reduction == Reduction.MEAN && !(call.meanDivisor() > 0)) {
			throw meanUndefined(call);
		}
		return call;
	}

	/**
	 * Tells the two target forms apart by shape: probabilities are shaped like the
	 * logits, indices like the logits without the class axis.
	 */
	private static boolean probabilityTarget(Tensor logits, int axis, Tensor target) {
		int[] shape = logits.shape();
		int[] indexShape = CrossEntropyCall.indexShape(shape, axis);
		if (Arrays.equals(target.shape(), shape)) {
			return true;
		}
		if (Arrays.equals(target.shape(), indexShape)) {
			return false;
		}
		throw new InvalidInputException("/target",
				"The target has shape " + TensorChecks.describe(target.shape()) + " but must be class indices shaped "
						+ TensorChecks.describe(indexShape) + " (the logits' shape without the class axis " + axis
						+ ") or class probabilities shaped " + TensorChecks.describe(shape)
						+ " (exactly like the logits).",
				"shape-mismatch");
	}

	private static Tensor checkWeight(Tensor weight, int classes) {
		if (weight.rank() != 1 || weight.dim(0) != classes) {
			throw new InvalidInputException("/weight", "weight must be a list of " + classes
					+ " numbers, one per class, but has shape " + TensorChecks.describe(weight.shape()) + ".",
					"shape-mismatch");
		}
		for (int c = 0; c < classes; c++) {
			double value = weight.get(c);
			if (!(value >= 0) || Double.isInfinite(value)) {
				throw new InvalidInputException(
						weight.pointer("/weight", c), "A class weight must be a finite number >= 0, not " + value
								+ weight.dtype().overflowNote(value) + ".",
						Double.isInfinite(value) ? "not-finite" : "out-of-range");
			}
		}
		return weight;
	}

	private static Tensor checkProbabilities(Tensor target) {
		for (int i = 0; i < target.size(); i++) {
			double value = target.get(i);
			if (!(value >= 0 && value <= 1)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"A class probability must lie in [0, 1], not " + value + ".", "out-of-range");
			}
		}
		return target;
	}

	private static void checkIndices(Tensor target, int classes, int ignore) {
		for (int i = 0; i < target.size(); i++) {
			double value = target.get(i);
			if (!Double.isFinite(value) || value != Math.rint(value)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"A class index must be a whole number, not " + value + ".", "not-whole");
			}
			if (value != ignore && (value < 0 || value >= classes)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"The class index " + wholeNumber(value) + " is out of range; use 0 to " + (classes - 1)
								+ ", or ignore_index (" + ignore + ") to leave this target out.",
						"out-of-range");
			}
		}
	}

	/**
	 * A whole number as its digits; past 2^53, where a double (the readers' common type)
	 * no longer holds every integer and a cast to {@code long} would saturate, as the
	 * digits of the double the client's number was rounded to (a uint64 target of 2^64-1
	 * is about 2^64, not 2^63-1).
	 */
	static String wholeNumber(double value) {
		if (Math.abs(value) < 0x1p53) {
			return Long.toString((long) value);
		}
		return "about " + new BigDecimal(value).toPlainString();
	}

	/**
	 * Refuses a masked ({@code -Infinity}) logit whose class has a share of the target
	 * above 0: its log-probability is {@code -Infinity}, so the loss would be infinite
	 * (PyTorch answers {@code inf}). A masked class with no share contributes nothing
	 * (PyTorch's {@code 0 * -inf = nan} is taken as its limit, 0).
	 */
	private static void checkMaskedShares(CrossEntropyCall call) {
		Tensor x = call.logits();
		if (x.indexOf(Double.NEGATIVE_INFINITY) < 0) {
			return;
		}
		Slices slices = Slices.of(x.shape(), call.axis());
		double[] shares = new double[slices.length()];
		for (int s = 0; s < slices.count(); s++) {
			call.shares(slices, s, shares);
			for (int c = 0, i = slices.start(s); c < slices.length(); c++, i += slices.stride()) {
				if (x.get(i) == Double.NEGATIVE_INFINITY && shares[c] > 0) {
					throw maskedShare(call, s, c, i);
				}
			}
		}
	}

	private static InvalidInputException maskedShare(CrossEntropyCall call, int position, int c, int logit) {
		String fix = " set its weight to 0 or unmask it.";
		if (!call.probabilityTarget() && call.target().get(position) == c && call.labelSmoothing() < 1) {
			return new InvalidInputException(call.target().pointer("/target", position), "The target class " + c
					+ " is masked out (a -Infinity logit or a false in mask), so the loss is infinite; choose an unmasked class, "
					+ "give the target ignore_index, or" + fix, "masked-target");
		}
		if (call.probabilityTarget() && call.target().get(logit) > 0) {
			return new InvalidInputException(call.target().pointer("/target", logit), "Class " + c
					+ " has target probability " + call.target().get(logit)
					+ " but is masked out (a -Infinity logit or a false in mask), so the loss is infinite; give it probability 0, or"
					+ fix, "masked-target");
		}
		return new InvalidInputException(call.logits().pointer("/logits", logit),
				"label_smoothing gives every class a share of the target, so this masked logit makes the loss "
						+ "infinite; set label_smoothing to 0, or" + fix,
				"masked-target");
	}

	private static InvalidInputException meanUndefined(CrossEntropyCall call) {
		Tensor target = call.target();
		for (int i = 0; i < target.size(); i++) {
			if (target.get(i) != call.ignoreIndex()) {
				return new InvalidInputException("/weight",
						"Every non-ignored target's class has weight 0, so the weighted mean divides by 0; "
								+ "give those classes a weight above 0, or use reduction sum or none.",
						"mean-undefined");
			}
		}
		return new InvalidInputException("/target",
				"Every target equals ignore_index (" + call.ignoreIndex()
						+ "), so the mean is undefined; use reduction sum or none, or send a target to keep.",
				"mean-undefined");
	}

}
