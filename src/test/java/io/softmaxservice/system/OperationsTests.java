package io.softmaxservice.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations surface of a running service: Prometheus metrics per endpoint and
 * outcome, the tensor elements counter, the actuator endpoints that are (and are not)
 * exposed, and the startup report.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OperationsTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private StartupReport startupReport;

	@Autowired
	private SoftmaxProperties properties;

	@Test
	void prometheusCountsRequestsPerEndpointAndOutcome() throws Exception {
		assertThat(post("/softmax", "{\"logits\": [1, 2, 3]}").statusCode()).isEqualTo(200);
		assertThat(post("/softmax", "{\"logits\": [1, 2, 3]").statusCode()).isEqualTo(400);
		HttpResponse<String> invalid = post("/softmax", "{\"logits\": [1, 2, 3], \"axis\": 5}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		String metrics = scrape();
		assertThat(metrics).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*outcome=\"SUCCESS\"[^}]*status=\"200\"[^}]*uri=\"/softmax\"[^}]*\\} [1-9]");
		assertThat(metrics).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*outcome=\"CLIENT_ERROR\"[^}]*status=\"400\"[^}]*uri=\"/softmax\"[^}]*\\} [1-9]");
		assertThat(metrics).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*exception=\"invalid-input\"[^}]*status=\"400\"[^}]*uri=\"/softmax\"");
		assertThat(metrics).doesNotContainPattern("exception=\"[^\"]*Exception\"");
		assertThat(metrics).doesNotContain("http_server_requests_active");
		assertThat(metrics)
			.containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/softmax\"[^}]*le=\"0\\.[^}]*\\} [1-9]");
	}

	@Test
	void prometheusCountsTensorElementsOfSuccessfulRequestsOnly() throws Exception {
		double before = elements("/softmax");
		assertThat(post("/softmax", "{\"logits\": [[1, 2, 3], [4, 5, 6]], \"axis\": 0}").statusCode()).isEqualTo(200);
		assertThat(elements("/softmax")).isEqualTo(before + 6);
		assertThat(post("/softmax", "{\"logits\": [[1, 2, 3], [4, 5]]}").statusCode()).isEqualTo(400);
		assertThat(post("/softmax", "{\"logits\": [1, 2, 3], \"temperature\": 0}").statusCode()).isEqualTo(400);
		assertThat(elements("/softmax")).isEqualTo(before + 6);
	}

	@Test
	void actuatorExposesOnlyHealthInfoAndPrometheus() throws Exception {
		assertThat(get("/actuator/health/readiness").body()).contains("\"UP\"");
		assertThat(get("/actuator/health/liveness").body()).contains("\"UP\"");
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
		for (String hidden : new String[] { "env", "beans", "configprops", "heapdump", "threaddump", "metrics",
				"loggers", "mappings", "shutdown" }) {
			assertThat(get("/actuator/" + hidden).statusCode()).as(hidden).isEqualTo(404);
		}
		assertThat(get("/actuator").body()).contains("/actuator/prometheus").doesNotContain("/actuator/env");
	}

	@Test
	void startupReportNamesPortBackendThreadsAndLimits() {
		assertThat(this.startupReport.describe()).contains("on port " + this.port)
			.contains("ND4J backend CpuBackend")
			.containsPattern("with [1-9]\\d* OpenMP threads")
			.contains("request body " + this.properties.limits().maxBodySize().toMegabytes() + " MiB")
			.contains(this.properties.limits().maxElements() + " elements per tensor and per result")
			.contains(this.properties.load().workBudget().toMegabytes()
					+ " MiB of request bodies computed at once (more wait up to "
					+ this.properties.load().queueTimeout().toMillis() + " ms, then 503 with Retry-After "
					+ this.properties.load().retryAfterSeconds().toSeconds() + " s)")
			.contains("bodies arrive within " + this.properties.upload().timeout().toMillis() + " ms")
			.contains("shutdown graceful (up to 30s)");
	}

	@Test
	void infoShowsVersionBuildTimeAndTheLimitsInForce() throws Exception {
		JsonNode info = JsonMapper.builder().build().readTree(get("/actuator/info").body());
		assertThat(info.at("/build/version").asString()).isNotBlank();
		assertThat(Instant.parse(info.at("/build/time").asString())).isBefore(Instant.now());
		assertThat(info.at("/limits/max_body_bytes").asLong()).isEqualTo(64L * 1024 * 1024);
		assertThat(info.at("/limits/max_elements").asInt()).isEqualTo(4194304);
		assertThat(info.at("/limits/work_budget_bytes").asLong()).isEqualTo(128L * 1024 * 1024);
		assertThat(info.at("/limits/queue_timeout_ms").asLong()).isEqualTo(2000);
		assertThat(info.at("/limits/upload_timeout_ms").asLong()).isEqualTo(10000);
		assertThat(info.at("/limits/upload_min_rate_bytes_per_second").asLong()).isEqualTo(64 * 1024);
	}

	@Test
	void latencyHistogramHasElevenBucketsSizedForTheService() throws Exception {
		assertThat(post("/softmax", "{\"logits\": [1, 2, 3]}").statusCode()).isEqualTo(200);
		Matcher bucket = Pattern.compile(
				"http_server_requests_seconds_bucket\\{[^}]*status=\"200\"[^}]*uri=\"/softmax\"[^}]*le=\"([^\"]+)\"")
			.matcher(scrape());
		List<String> bounds = new ArrayList<>();
		while (bucket.find()) {
			bounds.add(bucket.group(1));
		}
		assertThat(bounds).containsExactly("0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0",
				"2.5", "10.0", "+Inf");
	}

	private double elements(String endpoint) throws Exception {
		Matcher matcher = Pattern
			.compile("softmax_tensor_elements_total\\{[^}]*endpoint=\"" + Pattern.quote(endpoint) + "\"[^}]*\\} (\\S+)")
			.matcher(scrape());
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private String scrape() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
