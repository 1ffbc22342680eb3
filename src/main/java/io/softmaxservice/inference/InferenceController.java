package io.softmaxservice.inference;

import java.util.List;
import java.util.Map;

import io.softmaxservice.inference.InferenceModel.ModelMetadata;
import io.softmaxservice.tensor.InvalidInputException;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol's REST endpoints (KServe v2, Triton, Seldon MLServer):
 * server and model metadata, health, and inference on the models {@code softmax},
 * {@code log_softmax}, {@code softmax_grad} and {@code cross_entropy}.
 */
@RestController
@RequestMapping("/v2")
@Tag(name = "open-inference-protocol", description = """
		The computations as models of the Open Inference Protocol (KServe v2, Triton, Seldon MLServer), so that \
		their clients and KServe InferenceGraph nodes call them unchanged. Inputs are named as the JSON fields \
		(logits, target, ...); options are request parameters with the JSON fields' names and rules. Also \
		supported: the binary tensor data extension (Inference-Header-Content-Length) and the classification \
		extension. Errors are {"error": "..."}.""")
class InferenceController {

	private static final String SERVER_NAME = "softmax-service";

	private static final String INFER = """
			Tensors are FP64 or FP32 (FP16 as binary data), integer types for a target; `data` is the flat \
			row-major list (nested lists are read too) and must match `shape`. Parameters have the names and \
			rules of the JSON endpoint's fields. The answer is FP64, or FP32 when the point is FP32/FP16 or \
			`dtype` is float32; `id` is echoed. Binary tensor data extension: send the JSON object, then each \
			input's raw little-endian bytes, with `Inference-Header-Content-Length` giving the JSON's length and \
			`binary_data_size` on those inputs; ask for binary outputs with `binary_data` on an output or \
			`binary_data_output` on the request. Classification extension: `"parameters": {"classification": k}` \
			on an output answers the k largest values of each slice along the computation's axis as BYTES \
			strings "<value>:<index>", largest first.""";

	private static final String REQUEST = "An inference request: id, parameters, inputs and outputs.";

	private static final String ANSWER = "The outputs asked for (by default all): JSON, or with binary outputs "
			+ "the JSON object followed by their bytes (application/octet-stream)";

	private final InferenceRunner runner;

	private final ApplicationAvailability availability;

	InferenceController(InferenceRunner runner, ApplicationAvailability availability) {
		this.runner = runner;
		this.availability = availability;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Server metadata: name, version and the protocol extensions supported")
	ServerMetadata server() {
		String version = InferenceController.class.getPackage().getImplementationVersion();
		return new ServerMetadata(SERVER_NAME, (version != null) ? version : "dev",
				List.of("binary_tensor_data", "classification"));
	}

	@GetMapping(path = "/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Server live: 200 while the service can answer, else 503 (a liveness probe)")
	ResponseEntity<Map<String, Boolean>> live() {
		boolean live = this.availability.getLivenessState() == LivenessState.CORRECT;
		return ResponseEntity.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("live", live));
	}

	@GetMapping(path = "/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Server ready: 200 once every kernel is warm and traffic is accepted, else 503 "
			+ "(a readiness probe)")
	ResponseEntity<Map<String, Boolean>> ready() {
		boolean ready = isReady();
		return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("ready", ready));
	}

	@GetMapping(path = { "/models/{model}", "/models/{model}/versions/{version}" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Model metadata: the model's inputs and outputs, -1 for any length")
	ModelMetadata metadata(@PathVariable @Parameter(example = "softmax") String model,
			@PathVariable(required = false) @Nullable String version) {
		return model(model, version).metadata();
	}

	@GetMapping(path = { "/models/{model}/ready", "/models/{model}/versions/{version}/ready" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Model ready: 200 once the service is ready, else 503")
	ResponseEntity<Map<String, Object>> modelReady(@PathVariable @Parameter(example = "softmax") String model,
			@PathVariable(required = false) @Nullable String version) {
		InferenceModel served = model(model, version);
		boolean ready = isReady();
		return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("name", served.modelName(), "ready", ready));
	}

	@PostMapping("/models/softmax/infer")
	@Operation(summary = "softmax(logits / temperature) along an axis", description = INFER + """

			Input `logits`; output `probabilities`; parameters `axis` (default -1), `temperature` (default 1), \
			`dtype`.""", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(type = "object", description = REQUEST),
					examples = { @ExampleObject(name = "softmax", summary = "Two rows; the id is echoed", value = """
							{"id": "42", "inputs": [{"name": "logits", "shape": [2, 3], "datatype": "FP64", \
							"data": [1, 2, 3, 1, 1, 1]}]}"""),
							@ExampleObject(name = "classification", summary = "Top-2 classes of each row, FP32",
									value = """
											{"inputs": [{"name": "logits", "shape": [2, 4], "datatype": "FP32", \
											"data": [[1.1, 3.3, 0.5, 2.4], [0, 0, 5, 1]]}], "outputs": \
											[{"name": "probabilities", "parameters": {"classification": 2}}]}""") })))
	@ApiResponse(responseCode = "200", description = ANSWER,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, examples = @ExampleObject(value = """
					{"model_name": "softmax", "model_version": "1", "id": "42", "outputs": [{"name": "probabilities", \
					"datatype": "FP64", "shape": [2, 3], "data": [0.09003057317038046, 0.24472847105479764, \
					0.6652409557748218, 0.3333333333333333, 0.3333333333333333, 0.3333333333333333]}]}""")),
					@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE) })
	InferenceResponse inferSoftmax(@RequestBody InferenceRequest request) {
		return infer(InferenceModel.SOFTMAX, request);
	}

	@PostMapping("/models/log_softmax/infer")
	@Operation(summary = "log_softmax(logits / temperature) along an axis", description = INFER + """

			Input `logits`; output `log_probabilities`; parameters `axis` (default -1), `temperature` (default 1), \
			`dtype`.""", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(type = "object", description = REQUEST),
					examples = @ExampleObject(name = "temperature", summary = "At temperature 0.5, FP32", value = """
							{"parameters": {"temperature": 0.5}, "inputs": [{"name": "logits", "shape": [1, 3], \
							"datatype": "FP32", "data": [-1000, 0, 1000]}]}"""))))
	@ApiResponse(responseCode = "200", description = ANSWER,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
					@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE) })
	InferenceResponse inferLogSoftmax(@RequestBody InferenceRequest request) {
		return infer(InferenceModel.LOG_SOFTMAX, request);
	}

	@PostMapping("/models/softmax_grad/infer")
	@Operation(summary = "The gradient or Jacobian of softmax or log-softmax", description = INFER + """

			Inputs: the point as one of `logits`, `probabilities`, `log_probabilities`, and `grad_output` for \
			mode vjp; output `grad_logits` (mode vjp, the default) or `jacobian` (mode jacobian, also chosen by \
			asking for the output `jacobian`); parameters `mode`, `log`, `axis`, `temperature`, `dtype`.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
					mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(type = "object", description = REQUEST),
					examples = { @ExampleObject(name = "vjp", summary = "Vector-Jacobian product at logits", value = """
							{"inputs": [{"name": "logits", "shape": [1, 3], "datatype": "FP64", \
							"data": [1, 2, 3]}, {"name": "grad_output", "shape": [1, 3], \
							"datatype": "FP64", "data": [1, 0, 0]}]}"""),
							@ExampleObject(name = "jacobian", summary = "Jacobian of log-softmax of each row",
									value = """
											{"parameters": {"log": true}, "inputs": [{"name": "logits", \
											"shape": [2, 2], "datatype": "FP64", "data": [0, 0, 1, 3]}], \
											"outputs": [{"name": "jacobian"}]}""") })))
	@ApiResponse(responseCode = "200", description = ANSWER,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
					@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE) })
	InferenceResponse inferSoftmaxGrad(@RequestBody InferenceRequest request) {
		return infer(InferenceModel.SOFTMAX_GRAD, request);
	}

	@PostMapping("/models/cross_entropy/infer")
	@Operation(summary = "Cross-entropy loss, as torch.nn.functional.cross_entropy", description = INFER + """

			Inputs `logits`, `target` (class indices of an integer type or FP64, or class probabilities), \
			optional `weight`; outputs `loss` and, when asked for in `outputs` or with `include_grad`, \
			`grad_logits`; parameters `axis`, `ignore_index`, `reduction`, `label_smoothing`, `include_grad`, \
			`dtype`.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(type = "object", description = REQUEST),
							examples = @ExampleObject(name = "sum-with-gradient",
									summary = "Summed loss and its gradient", value = """
											{"parameters": {"reduction": "sum"}, "inputs": [{"name": "logits", \
											"shape": [2, 3], "datatype": "FP64", "data": [8, -3, 10, 0.5, 2, -1]}, \
											{"name": "target", "shape": [2], "datatype": "INT64", "data": [1, 2]}], \
											"outputs": [{"name": "loss"}, {"name": "grad_logits"}]}"""))))
	@ApiResponse(responseCode = "200", description = ANSWER,
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE),
					@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE) })
	InferenceResponse inferCrossEntropy(@RequestBody InferenceRequest request) {
		return infer(InferenceModel.CROSS_ENTROPY, request);
	}

	/** Any model by name, and every model under {@code /versions/1}. */
	@Hidden
	@PostMapping(path = { "/models/{model}/infer", "/models/{model}/versions/{version}/infer" })
	InferenceResponse infer(@PathVariable String model, @PathVariable(required = false) @Nullable String version,
			@RequestBody InferenceRequest request) {
		return infer(model(model, version), request);
	}

	private InferenceResponse infer(InferenceModel model, InferenceRequest request) {
		if (request.modelName() != null && !request.modelName().equals(model.modelName())) {
			throw new InvalidInputException("", "The body names the model '" + request.modelName()
					+ "' but the URL names '" + model.modelName() + "'; name one model.", "conflict");
		}
		return InferenceResponse.of(model, request, this.runner.run(model, request));
	}

	private boolean isReady() {
		return this.availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
	}

	private static InferenceModel model(String name, @Nullable String version) {
		InferenceModel model = InferenceModel.named(name);
		if (model == null) {
			throw new UnknownModelException("There is no model '" + name
					+ "'; the models are softmax, log_softmax, softmax_grad and cross_entropy.");
		}
		if (version != null && !version.equals(InferenceModel.VERSION)) {
			throw new UnknownModelException("The model " + name + " has no version '" + version
					+ "'; its only version is " + InferenceModel.VERSION + ".");
		}
		return model;
	}

	/**
	 * The server's metadata.
	 *
	 * @param name the server's name
	 * @param version its version
	 * @param extensions the protocol extensions it supports
	 */
	record ServerMetadata(String name, String version, List<String> extensions) {
	}

}
