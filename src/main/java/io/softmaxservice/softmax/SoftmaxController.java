package io.softmaxservice.softmax;

import io.softmaxservice.numpy.NumpyMediaTypes;
import io.softmaxservice.system.TensorElementsMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /softmax}: binds the request, checks it and hands it to the kernel.
 */
@RestController
@Tag(name = "softmax")
class SoftmaxController {

	private final SoftmaxValidator validator;

	private final SoftmaxKernel kernel;

	private final TensorElementsMetrics metrics;

	SoftmaxController(SoftmaxValidator validator, SoftmaxKernel kernel, TensorElementsMetrics metrics) {
		this.validator = validator;
		this.kernel = kernel;
		this.metrics = metrics;
	}

	@PostMapping(path = "/softmax",
			consumes = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE, NumpyMediaTypes.NPY_VALUE },
			produces = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE, NumpyMediaTypes.NPY_VALUE })
	@Operation(summary = "Softmax or log-softmax along an axis",
			description = "Computes softmax(logits / temperature) along `axis`, stable for any finite logits "
					+ "(shifted by the maximum before dividing). With `log: true`, returns the log-softmax "
					+ "computed as (x - max)/T - log(sum(exp(...))), never log(softmax). A logit of -Infinity "
					+ "(the token Python's json writes) masks a class out: probability 0, log-probability -Infinity; "
					+ "so does false in the optional boolean `mask`, shaped like the logits.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
							@ExampleObject(name = "batch", summary = "A batch of two rows",
									value = "{\"logits\": [[1, 2, 3], [1, 1, 1]]}"),
							@ExampleObject(name = "log-temperature", summary = "Log-softmax at temperature 0.5",
									value = "{\"logits\": [[-1000, 0, 1000]], \"temperature\": 0.5, \"log\": true}"),
							@ExampleObject(name = "axis-float32", summary = "Along the first axis, in float32",
									value = "{\"logits\": [[1, 2], [3, 4]], \"axis\": 0, \"dtype\": \"float32\"}") })))
	SoftmaxResponse softmax(@RequestBody SoftmaxRequest request) {
		SoftmaxCall call = this.validator.validate(request);
		SoftmaxResponse response = SoftmaxResponse.of(this.kernel.apply(call), call.log());
		this.metrics.record("/softmax", call.elements());
		return response;
	}

}
