package io.softmaxservice.inference;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import io.softmaxservice.LengthClosingOutputStream;
import io.softmaxservice.inference.InferenceResponse.OutputTensor;
import io.softmaxservice.json.JsonTensorWriter;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.mock.http.MockHttpOutputMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InferenceResponseWriter}: the JSON object with escaped strings and exact values,
 * its length when it fits the writer's buffer, a larger JSON answer streamed without one,
 * and the JSON header of a binary answer with its length.
 */
class InferenceResponseWriterTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final InferenceResponseWriter writer = new InferenceResponseWriter(this.mapper);

	@Test
	void jsonAnswerHasEscapedStringsExactValuesAndItsLength() throws IOException {
		Tensor probabilities = Tensor.of(new int[] { 2, 3 }, 0.1, 0.2, 0.7, 1.0 / 3, 1e-300, 0.0);
		Tensor logs = new Tensor(new int[] { 1, 2 }, new double[] { Double.NEGATIVE_INFINITY, (float) -0.1 },
				DType.FLOAT32);
		OutputTensor classes = new OutputTensor("top", "BYTES", new int[] { 1, 1 }, null, List.of("0.7:2"), false);
		InferenceResponse response = new InferenceResponse("softmax", "1", "a \"quoted\"\nid \u00e9",
				List.of(OutputTensor.of("probabilities", probabilities, false),
						OutputTensor.of("log_probabilities", logs, false), classes));
		MockHttpOutputMessage message = write(response);
		String body = message.getBodyAsString(StandardCharsets.UTF_8);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(message.getBodyAsBytes().length);
		assertThat(message.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(body)
			.startsWith("{\"model_name\":\"softmax\",\"model_version\":\"1\",\"id\":\"a \\\"quoted\\\"\\nid")
			.contains("{\"name\":\"probabilities\",\"datatype\":\"FP64\",\"shape\":[2,3],"
					+ "\"data\":[0.1,0.2,0.7,0.3333333333333333,1.0E-300,0.0]}")
			.contains("{\"name\":\"log_probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],"
					+ "\"data\":[-Infinity,-0.1]}")
			.endsWith("{\"name\":\"top\",\"datatype\":\"BYTES\",\"shape\":[1,1],\"data\":[\"0.7:2\"]}]}");
		assertThat(this.mapper.readTree(body.replace("-Infinity", "null")).get("id").asString())
			.isEqualTo("a \"quoted\"\nid \u00e9");
	}

	@Test
	void jsonAnswerLongerThanTheBufferStreamsWithoutLengthAndKeepsEveryValue() throws IOException {
		int size = JsonTensorWriter.BUFFER_SIZE / 4;
		double[] values = new Random(42).doubles(size).toArray();
		InferenceResponse response = new InferenceResponse("softmax", "1", null,
				List.of(OutputTensor.of("probabilities", Tensor.of(new int[] { 4, size / 4 }, values), false)));
		MockHttpOutputMessage message = write(response);
		assertThat(message.getBodyAsBytes().length).isGreaterThan(JsonTensorWriter.BUFFER_SIZE);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(-1);
		JsonNode data = this.mapper.readTree(message.getBodyAsString(StandardCharsets.US_ASCII))
			.get("outputs")
			.get(0)
			.get("data");
		assertThat(data.size()).isEqualTo(size);
		for (int i = 0; i < size; i++) {
			assertThat(data.get(i).doubleValue()).isEqualTo(values[i]);
		}
	}

	@Test
	void binaryAnswerHasItsJsonHeaderLengthAndTheBytesAfterIt() throws IOException {
		Tensor probabilities = Tensor.of(new int[] { 1, 3 }, 0.25, 0.25, 0.5);
		Tensor logs = Tensor.of(new int[] { 1, 3 }, -1.5, -1.5, -0.5);
		InferenceResponse response = new InferenceResponse("softmax", "1", "7",
				List.of(OutputTensor.of("probabilities", probabilities, true),
						OutputTensor.of("log_probabilities", logs, false)));
		MockHttpOutputMessage message = write(response);
		byte[] body = message.getBodyAsBytes();
		int headerLength = Integer.parseInt(message.getHeaders().getFirst(InferenceProtocol.HEADER_LENGTH));
		String header = new String(body, 0, headerLength, StandardCharsets.UTF_8);
		assertThat(header).isEqualTo("{\"model_name\":\"softmax\",\"model_version\":\"1\",\"id\":\"7\",\"outputs\":["
				+ "{\"name\":\"probabilities\",\"datatype\":\"FP64\",\"shape\":[1,3],\"parameters\":{\"binary_data_size\":24}},"
				+ "{\"name\":\"log_probabilities\",\"datatype\":\"FP64\",\"shape\":[1,3],\"data\":[-1.5,-1.5,-0.5]}]}");
		assertThat(message.getHeaders().getContentLength()).isEqualTo(body.length).isEqualTo(headerLength + 24);
		ByteBuffer data = ByteBuffer.wrap(body, headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(new double[] { data.getDouble(), data.getDouble(), data.getDouble() }).containsExactly(0.25, 0.25,
				0.5);
	}

	@Test
	void binaryAnswerWritesNothingOnceItsLengthIsWritten() throws IOException {
		Tensor probabilities = Tensor.of(new int[] { 1, 2 }, 0.25, 0.75);
		OutputTensor classes = new OutputTensor("top", "BYTES", new int[] { 1, 1 }, null, List.of("0.75:1"), true);
		for (List<OutputTensor> outputs : List.of(List.of(OutputTensor.of("probabilities", probabilities, true)),
				List.of(OutputTensor.of("probabilities", probabilities, true), classes),
				List.of(classes, OutputTensor.of("probabilities", probabilities, true)))) {
			LengthClosingMessage message = new LengthClosingMessage();
			this.writer.write(new InferenceResponse("softmax", "1", null, outputs), null, message);
			assertThat(message.body.size()).isEqualTo(message.getHeaders().getContentLength());
		}
	}

	private MockHttpOutputMessage write(InferenceResponse response) throws IOException {
		MockHttpOutputMessage message = new MockHttpOutputMessage();
		this.writer.write(response, null, message);
		return message;
	}

	/**
	 * An answer whose body refuses any write once its {@code Content-Length} is written.
	 */
	private static final class LengthClosingMessage implements HttpOutputMessage {

		private final HttpHeaders headers = new HttpHeaders();

		private final LengthClosingOutputStream body = new LengthClosingOutputStream(this.headers::getContentLength);

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public OutputStream getBody() {
			return this.body;
		}

	}

}
