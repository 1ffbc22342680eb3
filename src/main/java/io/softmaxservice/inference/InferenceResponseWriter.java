package io.softmaxservice.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.softmaxservice.inference.InferenceResponse.OutputTensor;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.stereotype.Component;

/**
 * Writes an inference response: a JSON object whose outputs carry their {@code data}, or,
 * when some output is to travel as binary data, that JSON object (those outputs with
 * {@code binary_data_size} instead of data) followed by their raw little-endian bytes,
 * sent as {@code application/octet-stream} with {@code Inference-Header-Content-Length}.
 * JSON numbers are written by the service's tensor writer (shortest round-trip decimals).
 */
@Component
class InferenceResponseWriter extends AbstractHttpMessageConverter<InferenceResponse> {

	private static final int CHUNK = 1 << 16;

	private final JsonMapper mapper;

	InferenceResponseWriter(JsonMapper mapper) {
		super(MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM);
		this.mapper = mapper;
	}

	@Override
	protected boolean supports(Class<?> type) {
		return type == InferenceResponse.class;
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected InferenceResponse readInternal(Class<? extends InferenceResponse> type, HttpInputMessage message) {
		throw new UnsupportedOperationException("Inference responses are only written");
	}

	@Override
	protected void addDefaultHeaders(HttpHeaders headers, InferenceResponse response, MediaType contentType) {
		headers
			.setContentType(response.hasBinaryData() ? MediaType.APPLICATION_OCTET_STREAM : MediaType.APPLICATION_JSON);
	}

	@Override
	protected void writeInternal(InferenceResponse response, HttpOutputMessage message) throws IOException {
		byte[] header = header(response);
		if (!response.hasBinaryData()) {
			message.getHeaders().setContentLength(header.length);
			message.getBody().write(header);
			return;
		}
		long length = header.length;
		for (OutputTensor output : response.outputs()) {
			length += output.binary() ? output.binarySize() : 0;
		}
		message.getHeaders().set(InferenceProtocol.HEADER_LENGTH, Integer.toString(header.length));
		message.getHeaders().setContentLength(length);
		OutputStream body = message.getBody();
		body.write(header);
		ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		for (OutputTensor output : response.outputs()) {
			if (output.binary()) {
				if (output.tensor() != null) {
					flush(chunk, body);
					Tensor tensor = output.tensor();
					TensorBytes.write(tensor, body, null);
				}
				else {
					writeStrings(output, chunk, body);
				}
			}
		}
		flush(chunk, body);
	}

	/** The JSON object: every output's name, datatype, shape, and its data or size. */
	private byte[] header(InferenceResponse response) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("model_name", response.modelName());
			json.writeStringProperty("model_version", response.modelVersion());
			if (response.id() != null) {
				json.writeStringProperty("id", response.id());
			}
			json.writeArrayPropertyStart("outputs");
			for (OutputTensor output : response.outputs()) {
				json.writeStartObject();
				json.writeStringProperty("name", output.name());
				json.writeStringProperty("datatype", output.datatype());
				json.writeName("shape");
				json.writeArray(output.shape(), 0, output.shape().length);
				if (output.binary()) {
					json.writeObjectPropertyStart("parameters");
					json.writeNumberProperty(InferenceProtocol.BINARY_DATA_SIZE, output.binarySize());
					json.writeEndObject();
				}
				else if (output.tensor() != null) {
					Tensor tensor = output.tensor();
					json.writeName("data");
					this.mapper.writeValue(json,
							new Tensor(new int[] { tensor.size() }, tensor.values(), tensor.dtype()));
				}
				else {
					json.writeName("data");
					this.mapper.writeValue(json, output.classes());
				}
				json.writeEndObject();
			}
			json.writeEndArray();
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void writeStrings(OutputTensor output, ByteBuffer chunk, OutputStream body) throws IOException {
		for (String label : output.classes()) {
			byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
			if (chunk.remaining() < Integer.BYTES + bytes.length) {
				flush(chunk, body);
			}
			chunk.putInt(bytes.length).put(bytes);
		}
	}

	private static void flush(ByteBuffer chunk, OutputStream body) throws IOException {
		body.write(chunk.array(), 0, chunk.position());
		chunk.clear();
	}

}
