package io.softmaxservice.inference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.softmaxservice.inference.InferenceRequest.Output;
import io.softmaxservice.inference.InferenceRunner.Result;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * An inference response of the protocol: the outputs asked for, each as JSON data or as
 * binary data after the JSON object, and each either the computed tensor or, with the
 * classification extension, its top classes.
 *
 * @param modelName the model that answered
 * @param modelVersion its version
 * @param id the request's identifier, if it had one
 * @param outputs the outputs in the order asked for
 */
record InferenceResponse(String modelName, String modelVersion, @Nullable String id, List<OutputTensor> outputs) {

	/**
	 * Answers a request with its computed outputs, in the form each output asks for.
	 * @param model the model
	 * @param request the request
	 * @param results what the model computed, by output name
	 * @return the response
	 */
	static InferenceResponse of(InferenceModel model, InferenceRequest request, Map<String, Result> results) {
		boolean binaryDefault = request.binaryDataOutput();
		List<OutputTensor> outputs = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (Output output : requested(request, results)) {
			String name = output.name();
			if (!model.hasOutput(name)) {
				throw new InvalidInputException("", "The model " + model.modelName() + " has no output '" + name
						+ "'; its outputs are " + String.join(", ", model.outputNames()) + ".", "unknown-field");
			}
			Result result = results.get(name);
			if (result == null) {
				throw new InvalidInputException(
						"", "The output '" + name + "' is not computed with these "
								+ "parameters; this request computes " + String.join(", ", results.keySet()) + ".",
						"not-allowed");
			}
			if (!names.add(name)) {
				throw new InvalidInputException("", "The output '" + name + "' is asked for twice; ask once.",
						"conflict");
			}
			boolean binary = (output.binaryData() != null) ? output.binaryData() : binaryDefault;
			outputs.add((output.classification() != null)
					? Classification.of(name, result.tensor(), result.axis(), output.classification(), binary)
					: OutputTensor.of(name, result.tensor(), binary));
		}
		return new InferenceResponse(model.modelName(), InferenceModel.VERSION, request.id(), outputs);
	}

	/**
	 * The outputs the protocol asks for, defaulting to every output computed.
	 * @param request the request
	 * @param results what was computed
	 * @return the outputs to answer
	 */
	private static List<Output> requested(InferenceRequest request, Map<String, Result> results) {
		if (!request.outputs().isEmpty()) {
			return request.outputs();
		}
		return results.keySet().stream().map((name) -> new Output(name, null, null)).toList();
	}

	/**
	 * Whether any output travels as binary data.
	 * @return true if the response needs the binary tensor data extension
	 */
	boolean hasBinaryData() {
		return this.outputs.stream().anyMatch(OutputTensor::binary);
	}

	/**
	 * One output: a tensor, or the {@code "<value>:<index>"} strings of the
	 * classification extension.
	 *
	 * @param name the output's name
	 * @param datatype {@code FP64}, {@code FP32} or {@code BYTES}
	 * @param shape its shape
	 * @param tensor its values, for a tensor
	 * @param classes its strings in row-major order, for a classification
	 * @param binary whether it travels as binary data
	 */
	record OutputTensor(String name, String datatype, int[] shape, @Nullable Tensor tensor,
			@Nullable List<String> classes, boolean binary) {

		static OutputTensor of(String name, Tensor tensor, boolean binary) {
			return new OutputTensor(name, (tensor.dtype() == DType.FLOAT32) ? "FP32" : "FP64", tensor.shape(), tensor,
					null, binary);
		}

		/**
		 * The size of the output as binary data: the elements' native size, or for BYTES
		 * a 4-byte length before each string's UTF-8 bytes.
		 * @return the number of bytes
		 */
		long binarySize() {
			if (this.tensor != null) {
				return (long) this.tensor.size()
						* ((this.tensor.dtype() == DType.FLOAT32) ? Float.BYTES : Double.BYTES);
			}
			long size = 0;
			for (String label : this.classes) {
				size += 4 + label.getBytes(StandardCharsets.UTF_8).length;
			}
			return size;
		}

	}

}
