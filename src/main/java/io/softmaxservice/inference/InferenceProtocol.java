package io.softmaxservice.inference;

import java.util.Set;

/**
 * Names the protocol and its extensions give to headers and parameters.
 */
final class InferenceProtocol {

	/** The length of the JSON header of a body that carries binary tensor data. */
	static final String HEADER_LENGTH = "Inference-Header-Content-Length";

	/** An input's or output's size in bytes, when it travels as binary data. */
	static final String BINARY_DATA_SIZE = "binary_data_size";

	/** On a requested output: answer it as binary data. */
	static final String BINARY_DATA = "binary_data";

	/** On the request: answer every output as binary data unless it says otherwise. */
	static final String BINARY_DATA_OUTPUT = "binary_data_output";

	/** On a requested output: answer its k largest values instead. */
	static final String CLASSIFICATION = "classification";

	/**
	 * A parameter some clients (Seldon MLServer's) add to say how they encoded a tensor:
	 * accepted and ignored.
	 */
	static final String CONTENT_TYPE = "content_type";

	/** Request parameters that belong to the protocol, not to a model. */
	static final Set<String> REQUEST_PARAMETERS = Set.of(BINARY_DATA_OUTPUT, CONTENT_TYPE);

	private InferenceProtocol() {
	}

}
