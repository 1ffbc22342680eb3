package io.softmaxservice.crossentropy;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.ExactEnumReader;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /cross-entropy}, with the semantics of PyTorch's
 * {@code torch.nn.functional.cross_entropy} field for field.
 *
 * @param logits the unnormalised scores
 * @param target class indices, or class probabilities shaped like the logits
 * @param axis the class axis
 * @param weight a rescaling weight per class
 * @param ignoreIndex the class index whose targets contribute nothing
 * @param reduction how the per-position losses are combined
 * @param labelSmoothing the share of the target spread evenly over all classes
 * @param includeGrad whether to return the gradient with respect to the logits
 * @param dtype the floating-point type to compute and answer in
 */
@Schema(description = "Cross-entropy between logits and class-index or class-probability targets, "
		+ "as torch.nn.functional.cross_entropy.")
record CrossEntropyRequest(

		@Schema(description = "Unnormalised scores shaped (C), (N, C) or (N, C, d1, ..., dk), with the classes "
				+ "along `axis`: nested arrays of numbers, rank 1 to 8. -Infinity masks a class out; NaN and "
				+ "+Infinity are errors.", requiredMode = Schema.RequiredMode.REQUIRED,
				example = "[[8.0, -3.0, 10.0], [0.5, 2.0, -1.0]]") Tensor logits,

		@Schema(description = "Either class indices (whole numbers in [0, C), or ignore_index) shaped like "
				+ "`logits` without the class axis — a single number for rank-1 logits — or class probabilities "
				+ "in [0, 1] shaped exactly like `logits` (they need not sum to 1). The shape tells them apart.",
				types = {
						"array", "number" },
				requiredMode = Schema.RequiredMode.REQUIRED, example = "[1, 2]") Tensor target,

		@Schema(description = "The class axis; negative counts from the end (e.g. -1 for (N, T, C) sequence "
				+ "logits). Must lie in [-rank, rank-1]. Defaults to 1, or 0 for rank-1 logits.",
				example = "1") @JsonDeserialize(using = WholeNumberReader.class) Integer axis,

		@Schema(description = "A rescaling weight for each class: a list of C finite numbers >= 0. "
				+ "Defaults to 1 for every class.", example = "[1.0, 2.0, 0.5]") Tensor weight,

		@JsonProperty("ignore_index") @Schema(
				description = "Class-index targets equal to this value contribute nothing to the loss, "
						+ "the mean's denominator or the gradient. With probability targets it must be negative "
						+ "(it then has no effect).",
				defaultValue = "-100",
				example = "-100") @JsonDeserialize(using = WholeNumberReader.class) Integer ignoreIndex,

		@Schema(description = "none: one loss per position; sum: their sum; mean: their sum divided by the "
				+ "summed weights of the non-ignored class-index targets (their count without `weight`), or by "
				+ "the number of positions for probability targets.", defaultValue = "mean",
				example = "mean") Reduction reduction,

		@JsonProperty("label_smoothing") @Schema(
				description = "A number in [0, 1]: the target becomes (1 - label_smoothing) times the given one "
						+ "plus label_smoothing / C on every class, as PyTorch does it.",
				defaultValue = "0", minimum = "0", maximum = "1", example = "0.1") Double labelSmoothing,

		@JsonProperty("include_grad") @Schema(
				description = "Also return grad_logits, the gradient of the returned loss (of its sum for "
						+ "reduction none) with respect to the logits.",
				defaultValue = "false", example = "true") Boolean includeGrad,

		@Schema(description = "float64, or float32: logits, probability targets and weights rounded to float32 "
				+ "and outputs written as the shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") DType dtype){

	private static final int DEFAULT_IGNORE_INDEX = -100;

	/**
	 * Checks the request against the contract and resolves its defaults.
	 * @return what to compute
	 */
	CrossEntropy validate() {
		DType type = (this.dtype != null) ? this.dtype : DType.FLOAT64;
		Tensor x = TensorChecks.requireArray(TensorChecks.required(this.logits, "/logits"), "/logits").as(type);
		int classAxis = TensorChecks.axis(this.axis, (x.rank() >= 2) ? 1 : 0, x.rank(), "/axis");
		TensorChecks.checkLogits(x, classAxis, "/logits");
		int classes = x.dim(classAxis);
		Tensor y = TensorChecks.required(this.target, "/target");
		boolean probability = probabilityTarget(x, classAxis, y);
		int ignore = (this.ignoreIndex != null) ? this.ignoreIndex : DEFAULT_IGNORE_INDEX;
		if (probability && ignore >= 0) {
			throw new InvalidInputException("/ignore_index",
					"ignore_index " + ignore
							+ " applies to class-index targets only; with class-probability targets leave it out "
							+ "or make it negative.");
		}
		Tensor w = (this.weight != null) ? checkWeight(this.weight.as(type), classes) : null;
		double smoothing = (this.labelSmoothing != null) ? this.labelSmoothing : 0.0;
		if (!(smoothing >= 0 && smoothing <= 1)) {
			throw new InvalidInputException("/label_smoothing",
					"label_smoothing must be a number from 0 to 1, not " + smoothing + ".");
		}
		if (probability) {
			y = checkProbabilities(y.as(type));
		}
		else {
			checkIndices(y, classes, ignore);
		}
		Reduction how = (this.reduction != null) ? this.reduction : Reduction.MEAN;
		CrossEntropy checked = new CrossEntropy(x, classAxis, y, probability, w, ignore, how, smoothing,
				Boolean.TRUE.equals(this.includeGrad), meanDivisor(y, probability, w, ignore, classes));
		checkMaskedShares(checked);
		if (how == Reduction.MEAN && !(checked.meanDivisor() > 0)) {
			throw meanUndefined(checked);
		}
		return checked;
	}

	/**
	 * Tells the two target forms apart by shape: probabilities are shaped like the
	 * logits, indices like the logits without the class axis.
	 */
	private static boolean probabilityTarget(Tensor logits, int axis, Tensor target) {
		int[] shape = logits.shape();
		int[] indexShape = indexShape(shape, axis);
		if (Arrays.equals(target.shape(), shape)) {
			return true;
		}
		if (Arrays.equals(target.shape(), indexShape)) {
			return false;
		}
		throw new InvalidInputException("/target",
				"The target has shape " + describe(target.shape()) + " but must be class indices shaped "
						+ describe(indexShape) + " (the logits' shape without the class axis " + axis
						+ ") or class probabilities shaped " + describe(shape) + " (exactly like the logits).");
	}

	/**
	 * The shape of the logits without the class axis: that of class-index targets and of
	 * the loss for reduction none.
	 * @param shape the logits' shape
	 * @param axis the class axis
	 * @return the shape, empty (a scalar) for rank-1 logits
	 */
	static int[] indexShape(int[] shape, int axis) {
		int[] reduced = new int[shape.length - 1];
		for (int a = 0, r = 0; a < shape.length; a++) {
			if (a != axis) {
				reduced[r++] = shape[a];
			}
		}
		return reduced;
	}

	private static String describe(int[] shape) {
		return (shape.length == 0) ? "[] (a single number)" : Arrays.toString(shape);
	}

	private static Tensor checkWeight(Tensor weight, int classes) {
		if (weight.rank() != 1 || weight.dim(0) != classes) {
			throw new InvalidInputException("/weight", "weight must be a list of " + classes
					+ " numbers, one per class, but has shape " + describe(weight.shape()) + ".");
		}
		for (int c = 0; c < classes; c++) {
			double value = weight.get(c);
			if (!(value >= 0) || Double.isInfinite(value)) {
				throw new InvalidInputException(weight.pointer("/weight", c),
						"A class weight must be a finite number >= 0, not " + value
								+ ((weight.dtype() == DType.FLOAT32 && Double.isInfinite(value))
										? " (this value overflows float32)" : "")
								+ ".");
			}
		}
		return weight;
	}

	private static Tensor checkProbabilities(Tensor target) {
		for (int i = 0; i < target.size(); i++) {
			double value = target.get(i);
			if (!(value >= 0 && value <= 1)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"A class probability must lie in [0, 1], not " + value + ".");
			}
		}
		return target;
	}

	private static void checkIndices(Tensor target, int classes, int ignore) {
		for (int i = 0; i < target.size(); i++) {
			double value = target.get(i);
			if (!Double.isFinite(value) || value != Math.rint(value)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"A class index must be a whole number, not " + value + ".");
			}
			if (value != ignore && (value < 0 || value >= classes)) {
				throw new InvalidInputException(target.pointer("/target", i),
						"The class index " + (long) value + " is out of range; use 0 to " + (classes - 1)
								+ ", or ignore_index (" + ignore + ") to leave this target out.");
			}
		}
	}

	/**
	 * What {@code mean} divides the summed losses by, as PyTorch: for class-index targets
	 * the summed weights of the classes of the non-ignored targets (their count without
	 * weights), for probability targets the number of positions (elements without the
	 * class axis), whatever the weights.
	 */
	private static double meanDivisor(Tensor target, boolean probability, Tensor weight, int ignore, int classes) {
		if (probability) {
			return (double) target.size() / classes;
		}
		double divisor = 0;
		for (int i = 0; i < target.size(); i++) {
			double value = target.get(i);
			if (value != ignore) {
				divisor += (weight != null) ? weight.get((int) value) : 1;
			}
		}
		return divisor;
	}

	/**
	 * Refuses a masked ({@code -Infinity}) logit whose class has a share of the target
	 * above 0: its log-probability is {@code -Infinity}, so the loss would be infinite
	 * (PyTorch answers {@code inf}). A masked class with no share contributes nothing
	 * (PyTorch's {@code 0 * -inf = nan} is taken as its limit, 0).
	 */
	private static void checkMaskedShares(CrossEntropy ce) {
		Tensor x = ce.logits();
		Slices slices = Slices.of(x.shape(), ce.axis());
		for (int s = 0; s < slices.count(); s++) {
			for (int c = 0, i = slices.start(s); c < slices.length(); c++, i += slices.stride()) {
				if (x.get(i) == Double.NEGATIVE_INFINITY && ce.share(slices, s, c) > 0) {
					throw maskedShare(ce, s, c, i);
				}
			}
		}
	}

	private static InvalidInputException maskedShare(CrossEntropy ce, int position, int c, int logit) {
		String fix = " set its weight to 0 or unmask it.";
		if (!ce.probabilityTarget() && ce.target().get(position) == c && ce.labelSmoothing() < 1) {
			return new InvalidInputException(ce.target().pointer("/target", position),
					"The target class " + c
							+ " is masked (its logit is -Infinity), so the loss is infinite; choose an unmasked class, "
							+ "give the target ignore_index, or" + fix);
		}
		if (ce.probabilityTarget() && ce.target().get(logit) > 0) {
			return new InvalidInputException(ce.target().pointer("/target", logit), "Class " + c
					+ " has target probability " + ce.target().get(logit)
					+ " but is masked (its logit is -Infinity), so the loss is infinite; give it probability 0, or"
					+ fix);
		}
		return new InvalidInputException(ce.logits().pointer("/logits", logit),
				"label_smoothing gives every class a share of the target, so this masked logit makes the loss "
						+ "infinite; set label_smoothing to 0, or" + fix);
	}

	private static InvalidInputException meanUndefined(CrossEntropy ce) {
		Tensor target = ce.target();
		for (int i = 0; i < target.size(); i++) {
			if (target.get(i) != ce.ignoreIndex()) {
				return new InvalidInputException("/weight",
						"Every non-ignored target's class has weight 0, so the weighted mean divides by 0; "
								+ "give those classes a weight above 0, or use reduction sum or none.");
			}
		}
		return new InvalidInputException("/target", "Every target equals ignore_index (" + ce.ignoreIndex()
				+ "), so the mean is undefined; use reduction sum or none, or send a target to keep.");
	}

	/**
	 * How the losses of the positions are combined.
	 */
	@JsonDeserialize(using = ExactEnumReader.class)
	enum Reduction {

		/** The weighted mean. */
		@JsonProperty("mean")
		MEAN,

		/** The sum. */
		@JsonProperty("sum")
		SUM,

		/** One loss per position. */
		@JsonProperty("none")
		NONE

	}

	/**
	 * A checked cross-entropy request.
	 *
	 * @param logits the logits, in the requested dtype
	 * @param axis the class axis in {@code [0, rank)}
	 * @param target class indices (logits' shape without the axis) or class probabilities
	 * (logits' shape)
	 * @param probabilityTarget which of the two the target is
	 * @param weight the class weights, or null for 1 each
	 * @param ignoreIndex the class index of targets to leave out
	 * @param reduction how losses are combined
	 * @param labelSmoothing in [0, 1]
	 * @param includeGrad whether to return the gradient
	 * @param meanDivisor what {@code mean} divides the summed losses by, above 0 when the
	 * reduction is mean
	 */
	record CrossEntropy(Tensor logits, int axis, Tensor target, boolean probabilityTarget, Tensor weight,
			int ignoreIndex, Reduction reduction, double labelSmoothing, boolean includeGrad, double meanDivisor) {

		/**
		 * The coefficient {@code a_c} of {@code -log p_c} in the loss at one position, so
		 * that {@code loss = -sum_c a_c log p_c}. With ε the label smoothing, C classes
		 * and w the class weights (1 without {@code weight}):
		 * <ul>
		 * <li>class index t: {@code a_c = (1 - ε) w_t [c = t] + ε w_c / C}, 0 for every c
		 * when t is ignore_index. This is PyTorch's
		 * {@code (1 - ε) nll_loss + ε/C · (-sum_c w_c log p_c)};</li>
		 * <li>class probabilities t: {@code a_c = w_c ((1 - ε) t_c + ε / C)}, PyTorch's
		 * smoothed target times the weight.</li>
		 * </ul>
		 * @param slices the layout of the logits around the class axis
		 * @param position the position: the slice's index, which is also its row-major
		 * index into the logits' shape without the class axis
		 * @param c the class
		 * @return the coefficient, at least 0
		 */
		double share(Slices slices, int position, int c) {
			double classes = slices.length();
			double w = (this.weight != null) ? this.weight.get(c) : 1;
			double eps = this.labelSmoothing;
			if (this.probabilityTarget) {
				double t = this.target.get(slices.start(position) + c * slices.stride());
				return w * ((1 - eps) * t + eps / classes);
			}
			double index = this.target.get(position);
			if (index == this.ignoreIndex) {
				return 0;
			}
			return ((index == c) ? (1 - eps) * w : 0) + eps * w / classes;
		}

	}

}
