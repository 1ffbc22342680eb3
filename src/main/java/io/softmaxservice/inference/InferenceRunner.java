package io.softmaxservice.inference;

import java.util.LinkedHashMap;
import java.util.Map;

import io.softmaxservice.crossentropy.CrossEntropyCall;
import io.softmaxservice.crossentropy.CrossEntropyKernel;
import io.softmaxservice.crossentropy.CrossEntropyRequest;
import io.softmaxservice.crossentropy.CrossEntropyResponse;
import io.softmaxservice.crossentropy.CrossEntropyValidator;
import io.softmaxservice.gradient.Mode;
import io.softmaxservice.gradient.SoftmaxGradCall;
import io.softmaxservice.gradient.SoftmaxGradKernel;
import io.softmaxservice.gradient.SoftmaxGradRequest;
import io.softmaxservice.gradient.SoftmaxGradValidator;
import io.softmaxservice.inference.InferenceRequest.Input;
import io.softmaxservice.inference.InferenceRequest.Output;
import io.softmaxservice.softmax.SoftmaxCall;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.softmax.SoftmaxValidator;
import io.softmaxservice.system.TensorElementsMetrics;
import io.softmaxservice.system.WorkBudgetShare;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Runs a model: binds the protocol request into the request record of the model's JSON
 * endpoint (tensors by input name, parameters as the record's scalar fields, read by the
 * same JSON rules), checks it with that endpoint's validation and computes it with its
 * kernel. Nothing here adds a rule of its own but which tensor types an input takes.
 */
@Component
class InferenceRunner {

	private final JsonMapper mapper;

	private final SoftmaxValidator softmaxValidator;

	private final SoftmaxKernel softmax;

	private final SoftmaxGradValidator gradientValidator;

	private final SoftmaxGradKernel gradient;

	private final CrossEntropyValidator crossEntropyValidator;

	private final CrossEntropyKernel crossEntropy;

	private final TensorElementsMetrics metrics;

	private final WorkBudgetShare share;

	InferenceRunner(JsonMapper mapper, SoftmaxValidator softmaxValidator, SoftmaxKernel softmax,
			SoftmaxGradValidator gradientValidator, SoftmaxGradKernel gradient,
			CrossEntropyValidator crossEntropyValidator, CrossEntropyKernel crossEntropy, TensorElementsMetrics metrics,
			WorkBudgetShare share) {
		this.mapper = mapper;
		this.softmaxValidator = softmaxValidator;
		this.softmax = softmax;
		this.gradientValidator = gradientValidator;
		this.gradient = gradient;
		this.crossEntropyValidator = crossEntropyValidator;
		this.crossEntropy = crossEntropy;
		this.metrics = metrics;
		this.share = share;
	}

	/**
	 * Computes a model's outputs.
	 * @param model the model
	 * @param request the request, read but not checked
	 * @return every output the request computes, by name, with the axis classification
	 * ranks along
	 */
	Map<String, Result> run(InferenceModel model, InferenceRequest request) {
		checkInputs(model, request);
		ObjectNode parameters = parameters(model, request);
		return switch (model) {
			case SOFTMAX, LOG_SOFTMAX -> softmax(model, request, parameters);
			case SOFTMAX_GRAD -> gradient(request, parameters);
			case CROSS_ENTROPY -> crossEntropy(request, parameters);
		};
	}

	private Map<String, Result> softmax(InferenceModel model, InferenceRequest request, ObjectNode parameters) {
		SoftmaxRequest options = bind(parameters, SoftmaxRequest.class);
		boolean log = model == InferenceModel.LOG_SOFTMAX;
		SoftmaxCall call = this.softmaxValidator.validate(new SoftmaxRequest(tensor(request, "logits"), options.axis(),
				options.temperature(), log, options.dtype(), mask(request)));
		Tensor out = this.softmax.apply(call);
		this.metrics.record(endpoint(model), call.elements());
		return Map.of(log ? "log_probabilities" : "probabilities", new Result(out, call.axis()));
	}

	private Map<String, Result> gradient(InferenceRequest request, ObjectNode parameters) {
		if (!parameters.has("mode") && asks(request, "jacobian") && !asks(request, "grad_logits")) {
			parameters.put("mode", "jacobian");
		}
		SoftmaxGradRequest options = bind(parameters, SoftmaxGradRequest.class);
		SoftmaxGradCall call = this.gradientValidator.validate(new SoftmaxGradRequest(tensor(request, "logits"),
				tensor(request, "probabilities"), tensor(request, "log_probabilities"), tensor(request, "grad_output"),
				options.mode(), options.axis(), options.temperature(), options.log(), options.dtype(), mask(request)));
		if (call.mode() == Mode.JACOBIAN) {
			// Classes times its point: a 16 KB body can ask for 32 MB.
			this.share.reserve(call.resultElements() * Double.BYTES);
		}
		Tensor out = this.gradient.apply(call);
		this.metrics.record(endpoint(InferenceModel.SOFTMAX_GRAD), call.elements());
		return (call.mode() == Mode.JACOBIAN) ? Map.of("jacobian", new Result(out, out.rank() - 1))
				: Map.of("grad_logits", new Result(out, call.axis()));
	}

	private Map<String, Result> crossEntropy(InferenceRequest request, ObjectNode parameters) {
		if (!parameters.has("include_grad") && asks(request, "grad_logits")) {
			parameters.put("include_grad", true);
		}
		CrossEntropyRequest options = bind(parameters, CrossEntropyRequest.class);
		CrossEntropyCall call = this.crossEntropyValidator.validate(new CrossEntropyRequest(tensor(request, "logits"),
				tensor(request, "target"), options.axis(), tensor(request, "weight"), options.ignoreIndex(),
				options.reduction(), options.labelSmoothing(), options.includeGrad(), options.dtype(), mask(request)));
		CrossEntropyResponse response = this.crossEntropy.apply(call);
		this.metrics.record(endpoint(InferenceModel.CROSS_ENTROPY), call.elements());
		Map<String, Result> results = new LinkedHashMap<>();
		results.put("loss", new Result(response.loss(), response.loss().rank() - 1));
		if (response.gradLogits() != null) {
			results.put("grad_logits", new Result(response.gradLogits(), call.axis()));
		}
		return results;
	}

	/**
	 * Refuses inputs the model does not take and element types an input cannot hold:
	 * floating point for every tensor, integers also for a target, BOOL only for a mask.
	 */
	private static void checkInputs(InferenceModel model, InferenceRequest request) {
		for (Input input : request.inputs()) {
			String name = input.name();
			if (!model.hasInput(name)) {
				throw new InvalidInputException("", "The model " + model.modelName() + " has no input '" + name
						+ "'; its inputs are " + String.join(", ", model.inputNames()) + ".", "unknown-field");
			}
			Datatype type = input.datatype();
			boolean allowed = name.equals("mask") ? type == Datatype.BOOL
					: type.isFloat() || (name.equals("target") && type.isInteger());
			if (!allowed) {
				throw new InvalidInputException("/" + name,
						"The datatype " + type + " is not read for " + name + "; send "
								+ (name.equals("mask") ? "BOOL" : name.equals("target")
										? "an integer type or FP64, FP32, FP16" : "FP64, FP32 or FP16")
								+ ".",
						"wrong-type");
			}
		}
	}

	/**
	 * The request's parameters that belong to the model, in a new object: the protocol's
	 * own are left out, any other name is refused.
	 */
	private ObjectNode parameters(InferenceModel model, InferenceRequest request) {
		ObjectNode bound = this.mapper.createObjectNode();
		for (Map.Entry<String, JsonNode> parameter : request.parameters().properties()) {
			String name = parameter.getKey();
			if (model.parameters().contains(name)) {
				bound.set(name, parameter.getValue());
			}
			else if (!InferenceProtocol.REQUEST_PARAMETERS.contains(name)) {
				throw new InvalidInputException("/" + name,
						"The model " + model.modelName() + " has no parameter '" + name + "'; its parameters are "
								+ String.join(", ", model.parameters()) + ", and the protocol's binary_data_output.",
						"unknown-field");
			}
		}
		return bound;
	}

	/**
	 * Reads parameters into a request record's scalar fields exactly as the JSON endpoint
	 * reads its body's fields.
	 */
	private <T> T bind(ObjectNode parameters, Class<T> type) {
		try {
			return this.mapper.treeToValue(parameters, type);
		}
		catch (JacksonException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof InvalidInputException invalid) {
					throw invalid;
				}
			}
			String pointer = pointer(ex);
			throw new InvalidInputException(pointer, "Expected " + expected(ex) + " for this parameter.", "wrong-type");
		}
	}

	private static boolean asks(InferenceRequest request, String output) {
		return request.outputs().stream().map(Output::name).anyMatch(output::equals);
	}

	private static @Nullable Tensor tensor(InferenceRequest request, String name) {
		Input input = request.input(name);
		return (input != null) ? input.tensor() : null;
	}

	/** The BOOL input {@code mask}, whose values are 0 or 1. */
	private static @Nullable Mask mask(InferenceRequest request) {
		Input input = request.input("mask");
		if (input == null) {
			return null;
		}
		Tensor values = input.tensor();
		boolean[] keep = new boolean[values.size()];
		for (int i = 0; i < keep.length; i++) {
			keep[i] = values.get(i) != 0;
		}
		return new Mask(values.shape(), keep);
	}

	private static String endpoint(InferenceModel model) {
		return "/v2/models/" + model.modelName() + "/infer";
	}

	private static String pointer(JacksonException ex) {
		StringBuilder pointer = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				pointer.append('/').append(reference.getPropertyName());
			}
		}
		return pointer.toString();
	}

	private static String expected(JacksonException ex) {
		Class<?> type = (ex instanceof MismatchedInputException mismatched) ? mismatched.getTargetType() : null;
		if (type == Boolean.class) {
			return "true or false";
		}
		if (type == Double.class) {
			return "a number";
		}
		if (type == Integer.class) {
			return "a whole number";
		}
		return "a value of another type";
	}

	/**
	 * One computed output.
	 *
	 * @param tensor its values
	 * @param axis the axis of the computation, along which classification ranks
	 */
	record Result(Tensor tensor, int axis) {
	}

}
