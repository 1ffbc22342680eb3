package io.softmaxservice.gradient;

import io.softmaxservice.numpy.NumpyMediaTypes;
import io.softmaxservice.system.TensorElementsMetrics;
import io.softmaxservice.system.WorkBudgetShare;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /softmax/grad}: binds the request, checks it and hands it to the kernel.
 */
@RestController
@Tag(name = "softmax")
class SoftmaxGradController {

	private final SoftmaxGradValidator validator;

	private final SoftmaxGradKernel kernel;

	private final TensorElementsMetrics metrics;

	private final WorkBudgetShare share;

	SoftmaxGradController(SoftmaxGradValidator validator, SoftmaxGradKernel kernel, TensorElementsMetrics metrics,
			WorkBudgetShare share) {
		this.validator = validator;
		this.kernel = kernel;
		this.metrics = metrics;
		this.share = share;
	}

	@PostMapping(path = "/softmax/grad",
			consumes = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE, NumpyMediaTypes.NPY_VALUE },
			produces = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE, NumpyMediaTypes.NPY_VALUE })
	@Operation(summary = "Gradient or Jacobian of softmax or log-softmax",
			description = """
					Differentiates y = softmax(x / T) (or log-softmax with `log: true`) along `axis` with respect to \
					the logits x, at a point given as exactly one of `logits`, `probabilities` (y) or \
					`log_probabilities` (log y). None given is an error at `/logits`; two or more, an error at the \
					second one given (in the order logits, probabilities, log_probabilities).

					* `mode: "vjp"` (default) returns `grad_logits`, shaped like the point: \
					`y * (g - sum(g*y)) / T` for softmax, `(g - y * sum(g)) / T` for log-softmax, with \
					g = `grad_output` and the sums along the axis. `grad_output` must have the point's shape \
					(a rank mismatch is an error at `/grad_output`, a length mismatch at the first array of the \
					first depth that differs) and finite values: an infinite upstream gradient is an error at it.
					* `mode: "jacobian"` returns `jacobian`, shaped like the point without the axis followed by \
					[C, C]: `J[..., i, j] = d out_i / d x_j = y_i (δ_ij - y_j) / T` for softmax, \
					`(δ_ij - y_j) / T` for log-softmax. `grad_output` is then an error; a Jacobian of more \
					elements than the limit is a 413 at `/mode`, refused before any work.

					The temperature applies the same way whichever point is given: `probabilities` are read as \
					softmax(x / T), so the derivative with respect to x carries the factor 1/T (give \
					`temperature: 1`, the default, for the derivative with respect to x / T). `probabilities` \
					must lie in [0, 1], `log_probabilities` be <= 0 (-Infinity is probability 0), and each slice \
					sum to 1 within 1e-6 (float64) or 1e-4 (float32); they are used as given, not renormalised. \
					An optional boolean `mask` shaped like the point masks classes out as -Infinity logits do (a \
					masked probability reads as 0). Logits follow the rules of POST /softmax, and their softmax is the stable one, so huge gaps \
					give finite gradients. A derivative too large for the dtype is an error at `/grad_output` \
					(vjp) or `/temperature` (jacobian).""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
							@ExampleObject(name = "vjp", summary = "Vector-Jacobian product at logits",
									value = "{\"logits\": [[1, 2, 3]], \"grad_output\": [[1, 0, 0]]}"),
							@ExampleObject(name = "jacobian", summary = "Jacobian of each row",
									value = "{\"logits\": [[1, 2, 3], [0, 0, 5]], \"mode\": \"jacobian\"}"),
							@ExampleObject(name = "log-from-probabilities",
									summary = "Log-softmax gradient at given probabilities",
									value = "{\"probabilities\": [[0.25, 0.75], [1, 0]], \"grad_output\": [[1, 2], [3, 4]], "
											+ "\"log\": true}"),
							@ExampleObject(name = "axis-temperature-float32",
									summary = "Along the first axis at temperature 2, in float32",
									value = "{\"logits\": [[1, 2], [3, 4], [-1000, 1000]], \"grad_output\": "
											+ "[[1, 1], [0, 2], [5, -1]], \"axis\": 0, \"temperature\": 2, "
											+ "\"dtype\": \"float32\"}"),
							@ExampleObject(name = "jacobian-log-probabilities",
									summary = "Log-softmax Jacobian at log-probabilities",
									value = "{\"log_probabilities\": [-0.6931471805599453, -0.6931471805599453], "
											+ "\"mode\": \"jacobian\", \"log\": true}") })))
	SoftmaxGradResponse grad(@RequestBody SoftmaxGradRequest request) {
		SoftmaxGradCall call = this.validator.validate(request);
		if (call.mode() == Mode.JACOBIAN) {
			// Classes times its point: a 16 KB body can ask for 32 MB.
			this.share.reserve(call.resultElements() * Double.BYTES);
		}
		Tensor result = this.kernel.apply(call);
		SoftmaxGradResponse response = (call.mode() == Mode.JACOBIAN) ? SoftmaxGradResponse.jacobian(result)
				: SoftmaxGradResponse.gradLogits(result);
		this.metrics.record("/softmax/grad", call.elements());
		return response;
	}

}
