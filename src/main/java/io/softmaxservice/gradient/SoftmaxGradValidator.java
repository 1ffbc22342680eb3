package io.softmaxservice.gradient;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;
import io.softmaxservice.tensor.TensorLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Checks a {@link SoftmaxGradRequest} against the contract, whatever wire format it came
 * in, and resolves its defaults into a {@link SoftmaxGradCall}.
 */
@Component
public class SoftmaxGradValidator {

	private final TensorLimits limits;

	public SoftmaxGradValidator(TensorLimits limits) {
		this.limits = limits;
	}

	/**
	 * Checks a request. The checks run in this order: which point is given, the axis, the
	 * temperature, grad_output's presence, the size of a Jacobian (413, before any value
	 * is looked at), grad_output's shape and values, the mask's shape, and the point's
	 * values with the mask applied.
	 * @param request the request as bound
	 * @return what to compute
	 * @throws InvalidInputException at the first rule the request breaks
	 */
	public SoftmaxGradCall validate(SoftmaxGradRequest request) {
		Point kind = point(request);
		Tensor given = TensorChecks.requireArray(tensor(request, kind), kind.pointer());
		DType type = DType.resolve(request.dtype(), given);
		Tensor point = given.as(type);
		int axis = TensorChecks.axis(request.axis(), -1, point.rank(), "/axis");
		double temperature = TensorChecks.temperature(request.temperature(), "/temperature");
		Mode mode = (request.mode() != null) ? request.mode() : Mode.VJP;
		Tensor g = null;
		if (mode == Mode.VJP) {
			g = TensorChecks.required(request.gradOutput(), "/grad_output").as(type);
			checkShape(g, point.shape(), kind);
			checkFinite(g);
		}
		else {
			if (request.gradOutput() != null) {
				throw new InvalidInputException("/grad_output",
						"grad_output is only used with mode vjp; leave it out to get the Jacobian.", "not-allowed");
			}
			this.limits.checkResultSize((long) point.size() * point.dim(axis), "/mode");
		}
		point = TensorChecks.masked(request.mask(), point, kind.pointer(),
				(kind == Point.PROBABILITIES) ? 0 : Double.NEGATIVE_INFINITY);
		switch (kind) {
			case LOGITS -> TensorChecks.checkLogits(point, axis, kind.pointer());
			case PROBABILITIES -> checkProbabilities(point, axis, false);
			case LOG_PROBABILITIES -> checkProbabilities(point, axis, true);
		}
		return new SoftmaxGradCall(kind, point, g, mode, axis, temperature, Boolean.TRUE.equals(request.log()));
	}

	/**
	 * Which point the request gives: none is an error at {@code /logits} (the usual
	 * point), two or more an error at the second one given, in the order logits,
	 * probabilities, log_probabilities.
	 */
	private static Point point(SoftmaxGradRequest request) {
		Point found = null;
		for (Point kind : Point.values()) {
			if (tensor(request, kind) != null) {
				if (found != null) {
					throw new InvalidInputException(kind.pointer(), "Both '" + found.field() + "' and '" + kind.field()
							+ "' are given; send exactly one point.", "conflict");
				}
				found = kind;
			}
		}
		if (found == null) {
			throw new InvalidInputException("/logits",
					"The point is missing; send exactly one of 'logits', 'probabilities' or 'log_probabilities'.",
					"required");
		}
		return found;
	}

	private static @Nullable Tensor tensor(SoftmaxGradRequest request, Point kind) {
		return switch (kind) {
			case LOGITS -> request.logits();
			case PROBABILITIES -> request.probabilities();
			case LOG_PROBABILITIES -> request.logProbabilities();
		};
	}

	/**
	 * Fails unless grad_output has the point's shape: a rank mismatch at
	 * {@code /grad_output}, else at the first array of the first depth whose length
	 * differs (shapes [2, 3] and [2, 4] give {@code /grad_output/0}).
	 */
	private static void checkShape(Tensor g, int[] shape, Point kind) {
		if (g.rank() != shape.length) {
			throw new InvalidInputException("/grad_output", "grad_output has rank " + g.rank() + " but '" + kind.field()
					+ "' has rank " + shape.length + "; send the same shape.", "shape-mismatch");
		}
		for (int d = 0; d < shape.length; d++) {
			if (g.dim(d) != shape[d]) {
				throw new InvalidInputException("/grad_output" + "/0".repeat(d),
						"The arrays of grad_output at this depth have " + g.dim(d) + " elements but those of '"
								+ kind.field() + "' have " + shape[d] + "; send the same shape.",
						"shape-mismatch");
			}
		}
	}

	/**
	 * Refuses infinite upstream gradients: they would make the gradient infinite or NaN
	 * (infinity times a zero probability).
	 */
	private static void checkFinite(Tensor g) {
		for (int i = 0; i < g.size(); i++) {
			double value = g.get(i);
			if (!Double.isFinite(value)) {
				throw new InvalidInputException(g.pointer("/grad_output", i), value + " is not allowed in grad_output"
						+ g.dtype().overflowNote(value) + "; send a finite number.", "not-finite");
			}
		}
	}

	/**
	 * Checks a probabilities point (values in [0, 1]) or a log-probabilities point
	 * (values at most 0, -Infinity allowed), then that each slice along the axis sums to
	 * 1 within the dtype's {@link DType#sumTolerance()}, summing exponentials for
	 * log-probabilities.
	 */
	private static void checkProbabilities(Tensor point, int axis, boolean log) {
		String root = log ? "/log_probabilities" : "/probabilities";
		for (int i = 0; i < point.size(); i++) {
			double v = point.get(i);
			if (log ? !(v <= 0) : !(v >= 0 && v <= 1)) {
				throw new InvalidInputException(point.pointer(root, i),
						log ? "Log-probabilities must be at most 0 (-Infinity for probability 0), not " + v + "."
								: "Probabilities must lie in [0, 1], not " + v + ".",
						"out-of-range");
			}
		}
		double tolerance = point.dtype().sumTolerance();
		Slices slices = Slices.of(point.shape(), axis);
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			double sum = 0;
			for (int c = 0, i = start; c < slices.length(); c++, i += slices.stride()) {
				sum += log ? Math.exp(point.get(i)) : point.get(i);
			}
			if (!(Math.abs(sum - 1) <= tolerance)) {
				throw new InvalidInputException(TensorChecks.slicePointer(point, axis, start, root),
						"This slice along axis " + axis + " sums to " + sum + (log ? " (of exponentials)" : "")
								+ ", not 1 within " + tolerance + "; send a softmax output.",
						"not-normalized");
			}
		}
	}

}
