package io.softmaxservice;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.softmaxservice.tensor.WarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end over a real port: the endpoint, the health groups, the OpenAPI document and
 * Swagger UI, and the body limit on a chunked body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "softmax.limits.max-body-size=100KB")
class SoftmaxServiceApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private List<WarmUp> kernels;

	@Value("${server.tomcat.max-swallow-size}")
	private DataSize maxSwallowSize;

	@Test
	void softmaxAnswersOverHttp() throws Exception {
		HttpResponse<String> response = post("/softmax", "{\"logits\": [[1, 2, 3]]}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body())
			.isEqualTo("{\"probabilities\":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}");
	}

	@Test
	void everyKernelWarmsUp() {
		assertThat(this.kernels).hasSize(3);
		this.kernels.forEach(WarmUp::warmUp);
	}

	@Test
	void readinessAndLivenessAreUp() throws Exception {
		for (String group : new String[] { "", "/liveness", "/readiness" }) {
			HttpResponse<String> response = get("/actuator/health" + group);
			assertThat(response.statusCode()).as(group).isEqualTo(200);
			assertThat(json(response).get("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	void bodyOverTheLimitIsRefusedWith413() throws Exception {
		String body = "{\"logits\": [" + "1,".repeat(60_000) + "1]}";
		HttpResponse<String> response = post("/softmax", body);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json(response).get("type").asString()).isEqualTo("urn:softmax-service:problem:payload-too-large");
	}

	@Test
	void clientThatSendsTheWholeBodyBeforeReadingGets413() throws Exception {
		// Like Python's urllib: the whole body is written before the response is read, so
		// the server must read the rest of an oversized body (up to max-swallow-size)
		// rather than close on it.
		int size = (int) this.maxSwallowSize.toBytes() - 64;
		byte[] body = ("{\"logits\": [" + "1,".repeat(size / 2 - 10) + "1]}").getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = new Socket("localhost", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /softmax HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(status).isEqualTo("HTTP/1.1 413");
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void bodyMuchLargerThanTheLimitIsNotReadToTheEnd(CapturedOutput output) throws Exception {
		// Past max-swallow-size the server stops reading and closes: the client finds the
		// connection closed while it is still writing, having sent a few socket buffers.
		byte[] chunk = "1,".repeat(32 * 1024).getBytes(StandardCharsets.US_ASCII);
		long declared = 1L << 30;
		long written = 0;
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /softmax HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + declared + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			try {
				while (written < declared) {
					out.write(chunk);
					written += chunk.length;
				}
			}
			catch (IOException ex) {
				// The server closed the connection without reading the whole body.
			}
		}
		assertThat(written).isLessThan(64L << 20);
		// The 413 is the whole answer: no dispatch to the error page tries to write a
		// second one into the closed response.
		assertThat(output).doesNotContain("Response already committed").doesNotContain("Exception");
	}

	@Test
	void chunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
		byte[] body = ("{\"logits\": [" + "1,".repeat(60_000) + "1]}").getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(uri("/softmax"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
			.build();
		HttpResponse<String> response = this.http.send(request, BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(json(response).get("detail").asString()).contains("102400 bytes");
	}

	@Test
	void bodyExactlyAtTheLimitIsAccepted() throws Exception {
		String head = "{\"logits\": [1";
		String tail = "]}";
		String padding = " ".repeat(100 * 1024 - head.length() - tail.length());
		HttpResponse<String> response = post("/softmax", head + padding + tail);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(post("/softmax", head + padding + " " + tail).statusCode()).isEqualTo(413);
	}

	@Test
	void openApiDocumentsEveryFieldAndTheProblemResponses() throws Exception {
		JsonNode api = json(get("/v3/api-docs"));
		JsonNode operation = api.at("/paths/~1softmax/post");
		assertThat(operation.at("/requestBody/content/application~1json/examples").size()).isGreaterThan(1);
		assertThat(operation.at("/responses/400/content/application~1problem+json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(operation.at("/responses").has("413")).isTrue();
		assertThat(operation.at("/responses").has("415")).isTrue();
		JsonNode request = api.at("/components/schemas/SoftmaxRequest");
		assertThat(request.at("/required").toString()).contains("logits");
		assertThat(request.at("/properties/axis/default").asInt()).isEqualTo(-1);
		assertThat(request.at("/properties/temperature/default").asDouble()).isEqualTo(1.0);
		assertThat(request.at("/properties/log/default").asBoolean()).isFalse();
		assertThat(request.at("/properties/dtype/default").asString()).isEqualTo("float64");
		assertThat(request.at("/properties/logits/example").isArray()).isTrue();
		assertThat(api.at("/components/schemas/SoftmaxResponse/properties").has("log_probabilities")).isTrue();
		assertThat(api.at("/components/schemas/Problem/properties").has("errors")).isTrue();
	}

	@Test
	void everyRequestExampleInTheOpenApiDocumentIsAnsweredWith200() throws Exception {
		// What Swagger UI's "Try it out" sends as loaded: each example's value, as JSON.
		JsonNode paths = json(get("/v3/api-docs")).get("paths");
		int examples = 0;
		for (String path : paths.propertyNames()) {
			for (JsonNode example : paths.get(path).at("/post/requestBody/content/application~1json/examples")) {
				JsonNode value = example.get("value");
				assertThat(value.isObject()).as("%s %s", path, example).isTrue();
				HttpResponse<String> response = post(path, GoldenCases.JSON.writeValueAsString(value));
				assertThat(response.statusCode()).as("%s %s: %s", path, value, response.body()).isEqualTo(200);
				examples++;
			}
		}
		assertThat(examples).isGreaterThanOrEqualTo(10);
	}

	@Test
	void swaggerUiIsServed() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(uri("/swagger-ui/index.html")).GET().build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static JsonNode json(HttpResponse<String> response) {
		return GoldenCases.JSON.readTree(response.body());
	}

}
