package io.softmaxservice.inference;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The models this service serves over the protocol, one per computation, with the tensors
 * and parameters each takes and the outputs it answers. Parameters have the names and
 * rules of the JSON endpoints' fields.
 */
enum InferenceModel {

	/** {@code POST /softmax}. */
	SOFTMAX("softmax", List.of(tensor("logits", "FP64", -1, -1), tensor("mask", "BOOL", -1, -1)),
			List.of(tensor("probabilities", "FP64", -1, -1)), List.of("axis", "temperature", "dtype")),

	/** {@code POST /softmax} with {@code log: true}. */
	LOG_SOFTMAX("log_softmax", List.of(tensor("logits", "FP64", -1, -1), tensor("mask", "BOOL", -1, -1)),
			List.of(tensor("log_probabilities", "FP64", -1, -1)), List.of("axis", "temperature", "dtype")),

	/** {@code POST /softmax/grad}. */
	SOFTMAX_GRAD("softmax_grad",
			List.of(tensor("logits", "FP64", -1, -1), tensor("probabilities", "FP64", -1, -1),
					tensor("log_probabilities", "FP64", -1, -1), tensor("grad_output", "FP64", -1, -1),
					tensor("mask", "BOOL", -1, -1)),
			List.of(tensor("grad_logits", "FP64", -1, -1), tensor("jacobian", "FP64", -1, -1, -1)),
			List.of("mode", "log", "axis", "temperature", "dtype")),

	/** {@code POST /cross-entropy}. */
	CROSS_ENTROPY("cross_entropy",
			List.of(tensor("logits", "FP64", -1, -1), tensor("target", "INT64", -1), tensor("weight", "FP64", -1),
					tensor("mask", "BOOL", -1, -1)),
			List.of(tensor("loss", "FP64"), tensor("grad_logits", "FP64", -1, -1)),
			List.of("axis", "ignore_index", "reduction", "label_smoothing", "include_grad", "dtype"));

	/** The one version of every model. */
	static final String VERSION = "1";

	private final String modelName;

	private final List<MetadataTensor> inputs;

	private final List<MetadataTensor> outputs;

	private final List<String> parameters;

	InferenceModel(String modelName, List<MetadataTensor> inputs, List<MetadataTensor> outputs,
			List<String> parameters) {
		this.modelName = modelName;
		this.inputs = inputs;
		this.outputs = outputs;
		this.parameters = parameters;
	}

	/**
	 * The model of a name.
	 * @param name the name in the URL
	 * @return the model, or null if there is none of that name
	 */
	static @Nullable InferenceModel named(String name) {
		for (InferenceModel model : values()) {
			if (model.modelName.equals(name)) {
				return model;
			}
		}
		return null;
	}

	String modelName() {
		return this.modelName;
	}

	List<String> parameters() {
		return this.parameters;
	}

	boolean hasInput(String name) {
		return this.inputs.stream().anyMatch((tensor) -> tensor.name().equals(name));
	}

	boolean hasOutput(String name) {
		return this.outputs.stream().anyMatch((tensor) -> tensor.name().equals(name));
	}

	List<String> outputNames() {
		return this.outputs.stream().map(MetadataTensor::name).toList();
	}

	List<String> inputNames() {
		return this.inputs.stream().map(MetadataTensor::name).toList();
	}

	/**
	 * The model's metadata, as {@code GET /v2/models/{model}} answers it.
	 * @return the metadata
	 */
	ModelMetadata metadata() {
		return new ModelMetadata(this.modelName, List.of(VERSION), "softmax-service", this.inputs, this.outputs);
	}

	private static MetadataTensor tensor(String name, String datatype, int... shape) {
		return new MetadataTensor(name, datatype, shape);
	}

	/**
	 * A model's metadata.
	 *
	 * @param name the model's name
	 * @param versions the versions it can be asked for by
	 * @param platform what serves it
	 * @param inputs its inputs
	 * @param outputs its outputs
	 */
	record ModelMetadata(String name, List<String> versions, String platform, List<MetadataTensor> inputs,
			List<MetadataTensor> outputs) {
	}

	/**
	 * One input or output of a model.
	 *
	 * @param name its name
	 * @param datatype its usual element type
	 * @param shape its usual shape, {@code -1} for any length
	 */
	record MetadataTensor(String name, String datatype, int[] shape) {
	}

}
