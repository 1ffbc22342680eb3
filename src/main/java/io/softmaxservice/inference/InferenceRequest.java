package io.softmaxservice.inference;

import java.util.List;

import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An inference request of the protocol, as read from JSON and binary tensor data: not yet
 * checked against any model.
 *
 * @param id the request's identifier, echoed in the answer
 * @param modelName the model named in the body, if any (it must match the URL's)
 * @param parameters the request's parameters, numbers read exactly
 * @param inputs the input tensors in request order
 * @param outputs the outputs asked for, empty for every output with defaults
 */
record InferenceRequest(@Nullable String id, @Nullable String modelName, ObjectNode parameters, List<Input> inputs,
		List<Output> outputs) {

	/**
	 * The input of a name.
	 * @param name the name
	 * @return the input, or null if the request has none of that name
	 */
	@Nullable Input input(String name) {
		for (Input input : this.inputs) {
			if (input.name().equals(name)) {
				return input;
			}
		}
		return null;
	}

	/**
	 * Whether every output is to be answered as binary data unless it says otherwise
	 * ({@code binary_data_output}).
	 * @return the parameter's value, false if absent
	 */
	boolean binaryDataOutput() {
		JsonNode value = this.parameters.get(InferenceProtocol.BINARY_DATA_OUTPUT);
		if (value != null && !value.isBoolean()) {
			throw new InvalidInputException("/" + InferenceProtocol.BINARY_DATA_OUTPUT,
					"binary_data_output must be true or false.", "wrong-type");
		}
		return value != null && value.booleanValue();
	}

	/**
	 * One input tensor.
	 *
	 * @param name its name, e.g. {@code logits}
	 * @param datatype its element type
	 * @param tensor its values and shape, float32 for FP16 and FP32, float64 otherwise
	 */
	record Input(String name, Datatype datatype, Tensor tensor) {
	}

	/**
	 * One output asked for.
	 *
	 * @param name its name, e.g. {@code probabilities}
	 * @param binaryData whether to answer it as binary data; null to follow the request's
	 * {@code binary_data_output}
	 * @param classification the number of top classes to answer instead of the tensor,
	 * null for the tensor itself
	 */
	record Output(String name, @Nullable Boolean binaryData, @Nullable Integer classification) {
	}

}
