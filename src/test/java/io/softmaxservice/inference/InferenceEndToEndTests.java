package io.softmaxservice.inference;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol over a real port, as the Triton client sends it (binary data, no
 * Content-Type), and the body limit in the protocol's error form.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "softmax.limits.max-body-size=100KB")
class InferenceEndToEndTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void binaryRequestWithoutContentTypeIsAnsweredWithBinaryData() throws Exception {
		String json = "{\"inputs\":[{\"name\":\"logits\",\"shape\":[1,2],\"datatype\":\"FP64\","
				+ "\"parameters\":{\"binary_data_size\":16}}],\"parameters\":{\"binary_data_output\":true}}";
		ByteBuffer body = ByteBuffer.allocate(json.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
		body.put(json.getBytes(StandardCharsets.UTF_8)).putDouble(0).putDouble(Math.log(3));
		HttpResponse<byte[]> response = this.http.send(HttpRequest.newBuilder(uri("/v2/models/softmax/infer"))
			.header("Inference-Header-Content-Length", Integer.toString(json.length()))
			.POST(BodyPublishers.ofByteArray(body.array()))
			.build(), BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		int headerLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").get());
		assertThat(response.body()).hasSize(headerLength + 16);
		ByteBuffer values = ByteBuffer.wrap(response.body(), headerLength, 16).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(values.getDouble()).isEqualTo(0.25);
		assertThat(values.getDouble()).isEqualTo(0.75);
	}

	/**
	 * The body limit is enforced below the application (before any handler), so its 413
	 * is the service's problem detail, as for every endpoint.
	 */
	@Test
	void bodyOverTheLimitIs413() throws Exception {
		String json = "{\"inputs\":[{\"name\":\"logits\",\"shape\":[20000],\"datatype\":\"FP64\","
				+ "\"parameters\":{\"binary_data_size\":160000}}]}";
		byte[] body = new byte[json.length() + 160000];
		System.arraycopy(json.getBytes(StandardCharsets.UTF_8), 0, body, 0, json.length());
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/v2/models/softmax/infer"))
			.header("Inference-Header-Content-Length", Integer.toString(json.length()))
			.POST(BodyPublishers.ofByteArray(body))
			.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
	}

	@Test
	void serverIsReadyOnceStarted() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/v2/health/ready")).GET().build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
