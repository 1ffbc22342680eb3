package io.softmaxservice.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.softmaxservice.inference.InferenceResponse.OutputTensor;
import io.softmaxservice.json.JsonTensorWriter;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
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
 * JSON numbers are written by the service's JSON tensor writer (shortest round-trip
 * decimals); a JSON answer longer than its buffer streams out chunked, never held whole.
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
		long expected = expectedSize(response);
		if (!response.hasBinaryData() && expected > JsonTensorWriter.BUFFER_SIZE) {
			// Streamed (chunked): a large answer is never held whole as text.
			JsonTensorWriter json = new JsonTensorWriter(message.getBody(), false, JsonTensorWriter.BUFFER_SIZE);
			writeObject(response, json);
			json.flush();
			return;
		}
		byte[] header = header(response, expected);
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

	/**
	 * The JSON object as bytes, for an answer that fits the writer's buffer or one whose
	 * length goes first ({@code Inference-Header-Content-Length}).
	 */
	private byte[] header(InferenceResponse response, long expected) throws IOException {
		int size = (int) Math.min(expected, JsonTensorWriter.BUFFER_SIZE);
		ByteArrayOutputStream out = new ByteArrayOutputStream(size);
		JsonTensorWriter json = new JsonTensorWriter(out, false, size);
		writeObject(response, json);
		json.flush();
		return out.toByteArray();
	}

	/**
	 * Writes the JSON object: every output's name, datatype, shape, and its data (the
	 * tensor's values in row-major order, shortest round-trip decimals) or size. Strings
	 * are written by Jackson, which escapes them.
	 */
	private void writeObject(InferenceResponse response, JsonTensorWriter json) throws IOException {
		member(json, '{', "model_name", response.modelName());
		member(json, ',', "model_version", response.modelVersion());
		if (response.id() != null) {
			member(json, ',', "id", response.id());
		}
		json.ascii(',');
		json.name("outputs");
		json.ascii('[');
		for (int i = 0; i < response.outputs().size(); i++) {
			OutputTensor output = response.outputs().get(i);
			if (i > 0) {
				json.ascii(',');
			}
			member(json, '{', "name", output.name());
			member(json, ',', "datatype", output.datatype());
			member(json, ',', "shape", output.shape());
			if (output.binary()) {
				member(json, ',', "parameters", Map.of(InferenceProtocol.BINARY_DATA_SIZE, output.binarySize()));
			}
			else if (output.tensor() != null) {
				json.ascii(',');
				json.name("data");
				json.tensor(flat(output.tensor()));
			}
			else {
				member(json, ',', "data", output.classes());
			}
			json.ascii('}');
		}
		json.ascii(']');
		json.ascii('}');
	}

	/** Writes a character, a member's name and its value as Jackson writes it. */
	private void member(JsonTensorWriter json, char before, String name, Object value) throws IOException {
		json.ascii(before);
		json.name(name);
		json.raw(this.mapper.writeValueAsBytes(value));
	}

	/** The tensor's values as one row, as the protocol's {@code data} has them. */
	private static Tensor flat(Tensor tensor) {
		int[] shape = { tensor.size() };
		ByteBuffer bytes = tensor.bytes();
		return (bytes != null) ? Tensor.ofBytes(shape, bytes, tensor.dtype())
				: new Tensor(shape, tensor.values(), tensor.dtype());
	}

	/**
	 * About the JSON object's length, at most: a number and its comma take at most 26
	 * bytes.
	 */
	private static long expectedSize(InferenceResponse response) {
		long size = 128 + response.modelName().length() + response.modelVersion().length()
				+ ((response.id() != null) ? 6 * response.id().length() : 0);
		for (OutputTensor output : response.outputs()) {
			size += 96 + 6 * output.name().length() + 12L * output.shape().length;
			if (output.binary()) {
				continue;
			}
			if (output.tensor() != null) {
				size += 26L * output.tensor().size();
			}
			else {
				for (String label : output.classes()) {
					size += 3 + 6L * label.length();
				}
			}
		}
		return size;
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

	/**
	 * Writes what the chunk holds, if anything: once an answer's {@code Content-Length}
	 * has been written, Tomcat refuses any write, even of no bytes.
	 */
	private static void flush(ByteBuffer chunk, OutputStream body) throws IOException {
		if (chunk.position() > 0) {
			body.write(chunk.array(), 0, chunk.position());
			chunk.clear();
		}
	}

}
