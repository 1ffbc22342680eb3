package io.softmaxservice.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as clients and Swagger UI read it: schemas that generators can
 * map, and examples that are what the service answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "softmax.limits.max-elements=20", "springdoc.cache.disabled=true" })
class OpenApiDocumentTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> ENDPOINTS = List.of("/softmax", "/softmax/grad", "/cross-entropy");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private JsonNode api;

	@BeforeEach
	void readDocument() throws Exception {
		this.api = json(get("/v3/api-docs", Map.of()).body());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void documentIsMadeWithoutWarnings(CapturedOutput output) throws Exception {
		// Made again for this request: the document is not cached in these tests.
		assertThat(get("/v3/api-docs", Map.of()).statusCode()).isEqualTo(200);
		assertThat(output).doesNotContain(" WARN ").doesNotContain("Exception");
	}

	@Test
	void noSchemaUsesATypeArrayOrUntypedItems() {
		List<String> found = new ArrayList<>();
		walk(this.api, "", (pointer, node) -> {
			if (node.has("type") && node.get("type").isArray()) {
				found.add(pointer + " type " + node.get("type"));
			}
			if (node.has("items") && node.get("items").isObject() && node.get("items").isEmpty()) {
				found.add(pointer + " items {}");
			}
		});
		assertThat(found).isEmpty();
	}

	@Test
	void tensorIsOneOfTheNestedArrayShapesOfRank1To8() {
		JsonNode shapes = this.api.at("/components/schemas/Tensor/oneOf");
		assertThat(shapes).hasSize(8);
		for (int rank = 1; rank <= 8; rank++) {
			JsonNode shape = shapes.get(rank - 1);
			for (int depth = 0; depth < rank; depth++) {
				assertThat(shape.get("type").asString()).isEqualTo("array");
				shape = shape.get("items");
			}
			assertThat(shape.get("type").asString()).as("rank %d", rank).isEqualTo("number");
		}
		assertThat(this.api.at("/components/schemas/Jacobian/oneOf")).hasSize(8);
		assertThat(this.api
			.at("/components/schemas/Jacobian/oneOf/7/items/items/items/items/items/items/items/items" + "/items/type")
			.asString()).isEqualTo("number");
	}

	@Test
	void tensorFieldsReferToTheTensorSchemas() {
		JsonNode schemas = this.api.at("/components/schemas");
		assertThat(ref(schemas, "SoftmaxRequest", "logits")).isEqualTo("Tensor");
		assertThat(ref(schemas, "SoftmaxResponse", "log_probabilities")).isEqualTo("Tensor");
		assertThat(ref(schemas, "SoftmaxGradRequest", "grad_output")).isEqualTo("Tensor");
		assertThat(ref(schemas, "SoftmaxGradResponse", "jacobian")).isEqualTo("Jacobian");
		assertThat(ref(schemas, "CrossEntropyRequest", "weight")).isEqualTo("Tensor");
		assertThat(ref(schemas, "CrossEntropyRequest", "target")).isEqualTo("NumberOrTensor");
		assertThat(ref(schemas, "CrossEntropyResponse", "loss")).isEqualTo("NumberOrTensor");
		for (String request : List.of("SoftmaxRequest", "SoftmaxGradRequest", "CrossEntropyRequest")) {
			assertThat(ref(schemas, request, "mask")).as(request).isEqualTo("BooleanTensor");
		}
		assertThat(schemas.at("/BooleanTensor/oneOf/1/items/items/type").asString()).isEqualTo("boolean");
		assertThat(schemas.at("/CrossEntropyRequest/properties/target/description").asString())
			.contains("class indices");
		JsonNode numberOrTensor = schemas.at("/NumberOrTensor/oneOf");
		assertThat(numberOrTensor.get(0).get("type").asString()).isEqualTo("number");
		assertThat(numberOrTensor.get(1).get("$ref").asString()).isEqualTo("#/components/schemas/Tensor");
	}

	@Test
	void temperatureHasAnExclusiveMinimumOf0() {
		for (String schema : List.of("SoftmaxRequest", "SoftmaxGradRequest")) {
			JsonNode temperature = this.api.at("/components/schemas/" + schema + "/properties/temperature");
			assertThat(temperature.get("exclusiveMinimum")).as(schema).isNotNull();
			assertThat(temperature.get("exclusiveMinimum").asDouble()).isEqualTo(0.0);
			assertThat(temperature.has("minimum")).isFalse();
		}
	}

	@Test
	void everyEndpointDocumentsEachProblemStatusWithItsOwnExample() {
		for (String path : ENDPOINTS) {
			JsonNode responses = this.api.at("/paths/" + path.replace("/", "~1") + "/post/responses");
			for (String status : List.of("400", "406", "408", "413", "415", "500", "503")) {
				JsonNode media = responses.at("/" + status + "/content/application~1problem+json");
				assertThat(media.at("/schema/$ref").asString()).isEqualTo("#/components/schemas/Problem");
				assertThat(media.get("examples")).as("%s %s", path, status).isNotEmpty();
				for (JsonNode example : media.get("examples")) {
					JsonNode problem = example.get("value");
					assertThat(problem.get("status").asInt()).as("%s %s", path, status)
						.isEqualTo(Integer.parseInt(status));
					assertThat(problem.get("instance").asString()).isEqualTo(path);
					assertThat(problem.get("type").asString()).startsWith("urn:softmax-service:problem:");
				}
			}
			assertThat(responses.at("/400/content/application~1problem+json/examples/invalid-input/value/errors/0")
				.has("pointer")).isTrue();
			assertThat(responses.at("/503/headers/Retry-After/schema/type").asString()).isEqualTo("integer");
		}
	}

	@Test
	void problemExamplesMatchWhatTheServiceAnswers() throws Exception {
		assertMatchesExample("/softmax", "400", "invalid-input",
				post("/softmax", "{\"logits\": [[1, 2, 3], [4, 5]]}", "application/json", "application/json"));
		assertMatchesExample("/cross-entropy", "400", "invalid-input", post("/cross-entropy",
				"{\"logits\": [[1, 2, 3]], \"target\": [3]}", "application/json", "application/json"));
		assertMatchesExample("/softmax/grad", "400", "invalid-input",
				post("/softmax/grad", "{\"logits\": [[1, 2, 3]]}", "application/json", "application/json"));
		assertMatchesExample("/softmax", "400", "malformed-json",
				post("/softmax", "{\"logits\": [1, 2,", "application/json", "application/json"));
		assertMatchesExample("/softmax/grad", "406", "not-acceptable",
				post("/softmax/grad", "{\"logits\": [1]}", "application/json", "text/csv"));
		assertMatchesExample("/cross-entropy", "415", "unsupported-media-type",
				post("/cross-entropy", "x", "text/plain", "application/json"));
		assertMatchesExample("/softmax", "413", "payload-too-large",
				post("/softmax", "{\"logits\": [" + "1, ".repeat(20) + "1]}", "application/json", "application/json"));
	}

	@Test
	void strictJsonIsOfferedAsAnAnswerTypeAndItsExampleIsWhatTheServiceAnswers() throws Exception {
		for (String path : ENDPOINTS) {
			JsonNode content = this.api.at("/paths/" + path.replace("/", "~1") + "/post/responses/200/content");
			assertThat(content.propertyNames()).as(path)
				.startsWith("application/json", "application/json; nonfinite=null");
			assertThat(content.get("application/json; nonfinite=null").get("schema"))
				.isEqualTo(content.get("application/json").get("schema"));
		}
		JsonNode example = this.api.at("/paths/~1softmax/post/responses/200/content/application~1json;"
				+ " nonfinite=null/examples/masked-log/value");
		HttpResponse<String> answer = post("/softmax",
				"{\"logits\": [[1, 5, 0]], \"mask\": [[true, false, true]], \"log\": true}", "application/json",
				"application/json; nonfinite=null");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json;nonfinite=null");
		assertThat(json(answer.body())).isEqualTo(example);
		assertThat(example.at("/log_probabilities/0/1").isNull()).isTrue();
	}

	@Test
	void everySuccessExampleIsTheAnswerToTheRequestExampleOfTheSameName() throws Exception {
		int compared = 0;
		for (String path : ENDPOINTS) {
			JsonNode operation = this.api.at("/paths/" + path.replace("/", "~1") + "/post");
			JsonNode requests = operation.at("/requestBody/content/application~1json/examples");
			JsonNode answers = operation.at("/responses/200/content/application~1json/examples");
			assertThat(answers.propertyNames()).as(path).containsExactlyInAnyOrderElementsOf(requests.propertyNames());
			for (String name : requests.propertyNames()) {
				HttpResponse<String> response = post(path, JSON.writeValueAsString(requests.get(name).get("value")),
						"application/json", "application/json");
				assertThat(response.statusCode()).as("%s %s", path, name).isEqualTo(200);
				assertThat(json(response.body())).as("%s %s", path, name).isEqualTo(answers.get(name).get("value"));
				assertThat(answers.get(name).get("summary").asString())
					.isEqualTo(requests.get(name).get("summary").asString());
				compared++;
			}
		}
		assertThat(compared).isGreaterThanOrEqualTo(10);
	}

	@Test
	void exampleDescriptionsDoNotRepeatTheirNames() {
		List<String> repeated = new ArrayList<>();
		walk(this.api, "", (pointer, node) -> {
			if (pointer.endsWith("/examples") && node.isObject()) {
				for (String name : node.propertyNames()) {
					if (name.equals(node.get(name).path("description").asString(null))) {
						repeated.add(pointer + "/" + name);
					}
				}
			}
		});
		assertThat(repeated).isEmpty();
	}

	@Test
	void documentHasALicenseAndAServerThatFollowsForwardedHeaders() throws Exception {
		assertThat(this.api.at("/info/license/url").asString())
			.isEqualTo("https://www.apache.org/licenses/LICENSE-2.0");
		assertThat(this.api.at("/servers/0/url").asString()).isEqualTo("http://localhost:" + this.port);
		JsonNode forwarded = json(
				get("/v3/api-docs", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.org"))
					.body());
		assertThat(forwarded.at("/servers/0/url").asString()).isEqualTo("https://api.example.org");
	}

	@Test
	void crossOriginRequestsGetNoCorsHeadersByDefault() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri("/softmax"))
			.header("Origin", "https://app.example.org")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"logits\": [1, 2]}"))
			.build(), BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private void assertMatchesExample(String path, String status, String name, HttpResponse<String> response) {
		JsonNode example = this.api.at("/paths/" + path.replace("/", "~1") + "/post/responses/" + status
				+ "/content/application~1problem+json/examples/" + name + "/value");
		assertThat(response.statusCode()).as("%s %s", path, status).isEqualTo(Integer.parseInt(status));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode answer = json(response.body());
		for (String field : List.of("type", "title", "status", "instance")) {
			assertThat(answer.get(field)).as("%s %s %s", path, status, field).isEqualTo(example.get(field));
		}
		assertThat(answer.has("errors")).as("%s %s errors", path, status).isEqualTo(example.has("errors"));
		if (example.has("errors")) {
			assertThat(answer.at("/errors/0/pointer")).isEqualTo(example.at("/errors/0/pointer"));
			assertThat(answer.at("/errors/0/code")).isEqualTo(example.at("/errors/0/code"));
		}
	}

	private static String ref(JsonNode schemas, String schema, String property) {
		String ref = schemas.at("/" + schema + "/properties/" + property + "/$ref").asString();
		return ref.substring(ref.lastIndexOf('/') + 1);
	}

	private static void walk(JsonNode node, String pointer, java.util.function.BiConsumer<String, JsonNode> visit) {
		visit.accept(pointer, node);
		if (node.isObject()) {
			for (String name : node.propertyNames()) {
				walk(node.get(name), pointer + "/" + name.replace("~", "~0").replace("/", "~1"), visit);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				walk(node.get(i), pointer + "/" + i, visit);
			}
		}
	}

	private HttpResponse<String> post(String path, String body, String contentType, String accept) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.header("Accept", accept)
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
		headers.forEach(request::header);
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static JsonNode json(String body) {
		return JSON.readTree(body);
	}

}
