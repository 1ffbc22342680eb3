package io.softmaxservice.crossentropy;

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
 * {@code POST /cross-entropy}: binds the request, checks it and hands it to the kernel.
 */
@RestController
@Tag(name = "cross-entropy")
class CrossEntropyController {

	private final CrossEntropyValidator validator;

	private final CrossEntropyKernel kernel;

	private final TensorElementsMetrics metrics;

	CrossEntropyController(CrossEntropyValidator validator, CrossEntropyKernel kernel, TensorElementsMetrics metrics) {
		this.validator = validator;
		this.kernel = kernel;
		this.metrics = metrics;
	}

	@PostMapping(path = "/cross-entropy", consumes = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE },
			produces = { MediaType.APPLICATION_JSON_VALUE, NumpyMediaTypes.NPZ_VALUE, NumpyMediaTypes.NPY_VALUE })
	@Operation(summary = "Cross-entropy loss, as torch.nn.functional.cross_entropy",
			description = "Computes PyTorch's cross_entropy(logits, target, weight, ignore_index, reduction, "
					+ "label_smoothing) with the classes along `axis`, from a stable log-softmax "
					+ "(log-sum-exp: [[-1000, 0, 1000]] with target [0] gives exactly 2000). The target is "
					+ "class indices when shaped like the logits without the class axis, class probabilities "
					+ "when shaped like the logits. With `include_grad`, also returns the gradient of the "
					+ "returned loss (of its sum for reduction none) with respect to the logits.\n\n"
					+ "Where PyTorch would answer inf or nan, this service answers 400 instead: a masked "
					+ "(-Infinity) logit whose class has a share of the target above 0 (the target class, a "
					+ "class with target probability > 0, or any class with weight > 0 under label smoothing) "
					+ "makes the loss infinite; reduction mean with every target ignored, or with the "
					+ "non-ignored targets' classes all of weight 0, divides by 0. A masked class with no share "
					+ "of the target contributes 0 (PyTorch: 0 * -inf = nan). false in the optional boolean `mask`, "
					+ "shaped like the logits, masks a class exactly as a -Infinity logit does.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
							@ExampleObject(name = "indices", summary = "Class-index targets, summed, with gradient",
									value = "{\"logits\": [[8, -3, 10]], \"target\": [1], \"reduction\": \"sum\", "
											+ "\"include_grad\": true}"),
							@ExampleObject(name = "weighted-smoothed",
									summary = "Class weights, label smoothing and an ignored target",
									value = "{\"logits\": [[10, -5, 5], [5, 2, -1], [4, -9, 5]], "
											+ "\"target\": [1, -100, 2], \"weight\": [1, 2, 0.5], "
											+ "\"label_smoothing\": 0.1}"),
							@ExampleObject(name = "probabilities", summary = "Class-probability targets, per row",
									value = "{\"logits\": [[1, 2, 3], [1, 1, 1]], "
											+ "\"target\": [[0.1, 0.2, 0.7], [1, 0, 0]], \"reduction\": \"none\"}"),
							@ExampleObject(name = "sequence", summary = "(N, T, C) sequence logits, classes last",
									value = "{\"logits\": [[[1, 2, 0], [0.5, 0.5, 3]]], \"target\": [[1, 2]], "
											+ "\"axis\": -1, \"include_grad\": true}"),
							@ExampleObject(name = "rank1-float32", summary = "One unbatched example, in float32",
									value = "{\"logits\": [0.1, 0.2, 0.3], \"target\": 2, "
											+ "\"dtype\": \"float32\"}") })))
	CrossEntropyResponse crossEntropy(@RequestBody CrossEntropyRequest request) {
		CrossEntropyCall call = this.validator.validate(request);
		CrossEntropyResponse response = this.kernel.apply(call);
		this.metrics.record("/cross-entropy", call.elements());
		return response;
	}

}
