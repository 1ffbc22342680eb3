package io.softmaxservice.gradient;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.ExactEnumReader;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;
import io.softmaxservice.tensor.TensorLimits;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /softmax/grad}: the point (exactly one of logits, probabilities
 * or log-probabilities), what to return, and the softmax's own options.
 *
 * @param logits the point as logits x
 * @param probabilities the point as y = softmax(x / T)
 * @param logProbabilities the point as log(y)
 * @param gradOutput the upstream gradient dL/dout, for {@code vjp}
 * @param mode {@code vjp} or {@code jacobian}
 * @param axis the softmax axis
 * @param temperature divides the logits
 * @param log whether to differentiate log-softmax
 * @param dtype the floating-point type to compute and answer in
 */
@Schema(description = "The derivative of softmax (or log-softmax) along one axis, at a point given as exactly one "
		+ "of logits, probabilities or log_probabilities.")
public record SoftmaxGradRequest(

		@Schema(description = "The point as logits x: rank 1 to 8. -Infinity masks a class out; NaN, +Infinity and "
				+ "a slice all -Infinity are errors. Give exactly one of logits, probabilities, log_probabilities.",
				example = "[[1.0, 2.0, 3.0]]") Tensor logits,

		@Schema(description = "The point as the softmax output y = softmax(x / temperature): values in [0, 1], each "
				+ "slice along the axis summing to 1 within 1e-6 (float64) or 1e-4 (float32). The derivative is "
				+ "still taken with respect to the logits x, so it is divided by the temperature.",
				example = "[[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]]") Tensor probabilities,

		@JsonProperty("log_probabilities") @Schema(
				description = "The point as the log-softmax output log(y): values <= 0 (-Infinity is probability 0), "
						+ "their exponentials obeying the probabilities' rule.",
				example = "[[-2.4076059644443806, -1.4076059644443806, -0.4076059644443806]]") Tensor logProbabilities,

		@JsonProperty("grad_output") @Schema(
				description = "The upstream gradient dL/dout, shaped exactly like the point; finite numbers. "
						+ "Required for mode vjp, forbidden for mode jacobian.",
				example = "[[1.0, 0.0, 0.0]]") Tensor gradOutput,

		@Schema(description = "vjp: return grad_logits, the vector-Jacobian product with grad_output. jacobian: "
				+ "return the Jacobian of every slice along the axis.", defaultValue = "vjp",
				example = "vjp") Mode mode,

		@Schema(description = "The softmax axis; negative counts from the end. Must lie in [-rank, rank-1].",
				defaultValue = "-1", example = "-1") @JsonDeserialize(using = WholeNumberReader.class) Integer axis,

		@Schema(description = "The softmax is softmax(logits / temperature); a finite number > 0. The derivative is "
				+ "with respect to the logits, so it carries a factor 1 / temperature whichever way the point is given.",
				defaultValue = "1", exclusiveMinimumValue = 0, example = "1.0") Double temperature,

		@Schema(description = "Differentiate the natural log-softmax instead of softmax.", defaultValue = "false",
				example = "false") Boolean log,

		@Schema(description = "float64, or float32: inputs rounded to float32 and outputs written as the "
				+ "shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") DType dtype) {

	/**
	 * Checks the request against the contract and resolves its defaults. The checks run
	 * in this order: which point is given, the axis, the temperature, grad_output's
	 * presence, the size of a Jacobian (413, before any value is looked at),
	 * grad_output's shape and values, and the point's values.
	 * @param limits the element limit a Jacobian must respect
	 * @return what to compute
	 */
	Gradient validate(TensorLimits limits) {
		DType type = (this.dtype != null) ? this.dtype : DType.FLOAT64;
		Point kind = point();
		Tensor point = TensorChecks.requireArray(kind.of(this), kind.pointer()).as(type);
		int resolvedAxis = TensorChecks.axis(this.axis, -1, point.rank(), "/axis");
		double t = TensorChecks.temperature(this.temperature, "/temperature");
		Mode resolvedMode = (this.mode != null) ? this.mode : Mode.VJP;
		Tensor g = null;
		if (resolvedMode == Mode.VJP) {
			g = TensorChecks.required(this.gradOutput, "/grad_output");
		}
		else {
			if (this.gradOutput != null) {
				throw new InvalidInputException("/grad_output",
						"grad_output is only used with mode vjp; leave it out to get the Jacobian.");
			}
			int classes = point.dim(resolvedAxis);
			limits.checkResultSize((long) point.size() * classes, "/mode");
		}
		if (g != null) {
			g = g.as(type);
			checkShape(g, point.shape(), kind.pointer());
			checkFinite(g);
		}
		switch (kind) {
			case LOGITS -> TensorChecks.checkLogits(point, resolvedAxis, kind.pointer());
			case PROBABILITIES -> checkProbabilities(point, resolvedAxis, false);
			case LOG_PROBABILITIES -> checkProbabilities(point, resolvedAxis, true);
		}
		return new Gradient(kind, point, g, resolvedMode, resolvedAxis, t, Boolean.TRUE.equals(this.log));
	}

	/**
	 * Which point the request gives: none is an error at {@code /logits} (the usual
	 * point), two or more an error at the second one given, in the order logits,
	 * probabilities, log_probabilities.
	 */
	private Point point() {
		Point found = null;
		for (Point kind : Point.values()) {
			if (kind.of(this) != null) {
				if (found != null) {
					throw new InvalidInputException(kind.pointer(), "Both '" + found.pointer().substring(1) + "' and '"
							+ kind.pointer().substring(1) + "' are given; send exactly one point.");
				}
				found = kind;
			}
		}
		if (found == null) {
			throw new InvalidInputException("/logits",
					"The point is missing; send exactly one of 'logits', 'probabilities' or 'log_probabilities'.");
		}
		return found;
	}

	/**
	 * Fails unless grad_output has the point's shape: a rank mismatch at
	 * {@code /grad_output}, else at the first array of the first depth whose length
	 * differs (shapes [2, 3] and [2, 4] give {@code /grad_output/0}).
	 */
	private static void checkShape(Tensor g, int[] shape, String pointName) {
		if (g.rank() != shape.length) {
			throw new InvalidInputException("/grad_output", "grad_output has rank " + g.rank() + " but '"
					+ pointName.substring(1) + "' has rank " + shape.length + "; send the same shape.");
		}
		for (int d = 0; d < shape.length; d++) {
			if (g.dim(d) != shape[d]) {
				throw new InvalidInputException("/grad_output" + "/0".repeat(d),
						"The arrays of grad_output at this depth have " + g.dim(d) + " elements but those of '"
								+ pointName.substring(1) + "' have " + shape[d] + "; send the same shape.");
			}
		}
	}

	/**
	 * Refuses infinite upstream gradients: they would make the gradient infinite or NaN
	 * (infinity times a zero probability).
	 */
	private static void checkFinite(Tensor g) {
		double[] values = g.values();
		for (int i = 0; i < values.length; i++) {
			if (!Double.isFinite(values[i])) {
				throw new InvalidInputException(g.pointer("/grad_output", i),
						values[i] + " is not allowed in grad_output"
								+ ((g.dtype() == DType.FLOAT32) ? " (this value overflows float32)" : "")
								+ "; send a finite number.");
			}
		}
	}

	/**
	 * Checks a probabilities point (values in [0, 1]) or a log-probabilities point
	 * (values at most 0, -Infinity allowed), then that each slice along the axis sums to
	 * 1 within 1e-6 (float64) or 1e-4 (float32), summing exponentials for
	 * log-probabilities.
	 */
	private static void checkProbabilities(Tensor point, int axis, boolean log) {
		String root = log ? "/log_probabilities" : "/probabilities";
		double[] values = point.values();
		for (int i = 0; i < values.length; i++) {
			double v = values[i];
			if (log ? !(v <= 0) : !(v >= 0 && v <= 1)) {
				throw new InvalidInputException(point.pointer(root, i),
						log ? "Log-probabilities must be at most 0 (-Infinity for probability 0), not " + v + "."
								: "Probabilities must lie in [0, 1], not " + v + ".");
			}
		}
		double tolerance = (point.dtype() == DType.FLOAT32) ? 1e-4 : 1e-6;
		Slices slices = Slices.of(point.shape(), axis);
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			double sum = 0;
			for (int c = 0, i = start; c < slices.length(); c++, i += slices.stride()) {
				sum += log ? Math.exp(values[i]) : values[i];
			}
			if (!(Math.abs(sum - 1) <= tolerance)) {
				throw new InvalidInputException(TensorChecks.slicePointer(point, axis, start, root),
						"This slice along axis " + axis + " sums to " + sum + (log ? " (of exponentials)" : "")
								+ ", not 1 within " + tolerance + "; send a softmax output.");
			}
		}
	}

	/** What to return: a vector-Jacobian product or the Jacobian itself. */
	@JsonDeserialize(using = ExactEnumReader.class)
	enum Mode {

		/** {@code grad_logits}: the upstream gradient times the Jacobian. */
		@JsonProperty("vjp")
		VJP,

		/** {@code jacobian}: d out_i / d x_j for every slice. */
		@JsonProperty("jacobian")
		JACOBIAN

	}

	/** How the point is given, with the field that gives it. */
	enum Point {

		/** The logits x. */
		LOGITS("/logits"),

		/** The softmax output y. */
		PROBABILITIES("/probabilities"),

		/** The log-softmax output log(y). */
		LOG_PROBABILITIES("/log_probabilities");

		private final String pointer;

		Point(String pointer) {
			this.pointer = pointer;
		}

		String pointer() {
			return this.pointer;
		}

		Tensor of(SoftmaxGradRequest request) {
			return switch (this) {
				case LOGITS -> request.logits();
				case PROBABILITIES -> request.probabilities();
				case LOG_PROBABILITIES -> request.logProbabilities();
			};
		}

	}

	/**
	 * A checked gradient request.
	 *
	 * @param kind how the point is given
	 * @param point the point, in the requested dtype
	 * @param gradOutput the upstream gradient for vjp, null for jacobian
	 * @param mode what to return
	 * @param axis the axis in {@code [0, rank)}
	 * @param temperature the temperature
	 * @param log whether to differentiate log-softmax
	 */
	record Gradient(Point kind, Tensor point, Tensor gradOutput, Mode mode, int axis, double temperature, boolean log) {
	}

}
