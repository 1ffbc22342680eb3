package io.softmaxservice.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-origin requests when {@code softmax.cors.allowed-origins} lists origins; with the
 * default empty list no CORS header is ever sent ({@link OpenApiDocumentTests}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "softmax.cors.allowed-origins=https://app.example.org,https://*.lab.example.org")
class CrossOriginTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void preflightFromAnAllowedOriginIsAnswered() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/softmax"))
			.method("OPTIONS", BodyPublishers.noBody())
			.header("Origin", "https://notebook.lab.example.org")
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
			.hasValue("https://notebook.lab.example.org");
		assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
	}

	@Test
	void postFromAnAllowedOriginMayBeReadAndSeesRetryAfter() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/softmax"))
			.header("Origin", "https://app.example.org")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"logits\": [1, 2]}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.org");
		assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
			.contains("Retry-After");
	}

	@Test
	void requestFromAnotherOriginIsRefusedWithAProblem() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/softmax"))
			.header("Origin", "https://evil.example.com")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"logits\": [1, 2]}")));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(response.body()).contains("\"type\":\"urn:softmax-service:problem:origin-not-allowed\"")
			.contains("\"status\":403")
			.contains("softmax.cors.allowed-origins");
	}

	@Test
	void sameOriginRequestNeedsNoCorsHeaders() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/softmax"))
			.header("Origin", "http://localhost:" + this.port)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"logits\": [1, 2]}")));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
