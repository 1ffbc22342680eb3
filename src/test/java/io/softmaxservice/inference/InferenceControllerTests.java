package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.softmaxservice.ContractTolerance;
import io.softmaxservice.GoldenCases;
import io.softmaxservice.GoldenCases.GoldenCase;
import io.softmaxservice.crossentropy.CrossEntropyKernel;
import io.softmaxservice.crossentropy.CrossEntropyValidator;
import io.softmaxservice.gradient.SoftmaxGradKernel;
import io.softmaxservice.gradient.SoftmaxGradValidator;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxValidator;
import io.softmaxservice.system.TensorElementsMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static io.softmaxservice.ProblemAssertions.assertNoInternals;
import static io.softmaxservice.ProblemAssertions.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP mapping of the Open Inference Protocol: the JSON endpoints' golden vectors sent as
 * inference requests, the protocol's documented request layouts, binary tensor data laid
 * out byte by byte as the Triton client does, classification, and errors in the
 * protocol's form.
 */
@WebMvcTest(InferenceController.class)
@Import({ InferenceRunner.class, InferenceRequestReader.class, InferenceResponseWriter.class, SoftmaxValidator.class,
		SoftmaxKernel.class, SoftmaxGradValidator.class, SoftmaxGradKernel.class, CrossEntropyValidator.class,
		CrossEntropyKernel.class, TensorElementsMetrics.class, ApplicationAvailabilityBean.class })
class InferenceControllerTests {

	@Autowired
	private MockMvcTester mvc;

	static Stream<GoldenCase> golden() {
		return Stream.of("softmax.json", "softmax_grad.json", "cross_entropy.json")
			.flatMap((file) -> GoldenCases.load(file).stream());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("golden")
	void inferMatchesTheJsonEndpointsGoldenValues(GoldenCase golden) {
		ObjectNode request = JsonNodeFactory.instance.objectNode();
		ObjectNode parameters = request.putObject("parameters");
		ArrayNode inputs = request.putArray("inputs");
		String model = golden.response().has("loss") ? "cross_entropy"
				: (golden.response().has("grad_logits") || golden.response().has("jacobian")) ? "softmax_grad"
						: golden.response().has("log_probabilities") ? "log_softmax" : "softmax";
		for (String field : golden.request().propertyNames()) {
			JsonNode value = golden.request().get(field);
			if (value.isNull()) {
				continue;
			}
			if (InferenceExceptionHandlerTests.TENSORS.contains(field)) {
				ObjectNode input = inputs.addObject().put("name", field).put("datatype", "FP64");
				ArrayNode shape = input.putArray("shape");
				shape(value).forEach(shape::add);
				input.set("data", flatten(value, JsonNodeFactory.instance.arrayNode()));
			}
			else if (!(field.equals("log") && !model.equals("softmax_grad"))) {
				parameters.set(field, value);
			}
		}
		MvcTestResult result = infer(model, GoldenCases.JSON.writeValueAsString(request));
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		JsonNode outputs = body(result).get("outputs");
		assertThat(outputs).hasSize(golden.response().size());
		for (JsonNode output : outputs) {
			String name = output.get("name").asString();
			assertThat(output.get("datatype").asString()).isEqualTo(golden.dtype().equals("float32") ? "FP32" : "FP64");
			ContractTolerance.assertTensorMatches(name, nest(output), golden.response().get(name), golden.dtype(),
					name.equals("probabilities"));
		}
	}

	@Test
	void inferEchoesIdAndNamesModelAndVersion() {
		assertThat(infer("softmax",
				"""
						{"id": "42", "inputs": [{"name": "logits", "shape": [1, 3], "datatype": "FP64", "data": [1, 2, 3]}]}"""))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"model_name": "softmax", "model_version": "1", "id": "42", "outputs": [{"name": "probabilities",
					"datatype": "FP64", "shape": [1, 3],
					"data": [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]}]}""");
	}

	/** The layout of the protocol's documented binary example: JSON, then raw bytes. */
	@Test
	void inferReadsAndWritesBinaryTensorDataAsTheTritonClientLaysItOut() {
		float[] logits = { 1, 2, 3, 0, 0, 0 };
		String json = """
				{"inputs":[{"name":"logits","shape":[2,3],"datatype":"FP32","parameters":{"binary_data_size":24}}],\
				"outputs":[{"name":"probabilities","parameters":{"binary_data":true}}]}""";
		ByteBuffer body = ByteBuffer.allocate(json.length() + 24).order(ByteOrder.LITTLE_ENDIAN);
		body.put(json.getBytes(StandardCharsets.UTF_8));
		for (float logit : logits) {
			body.putFloat(logit);
		}
		MvcTestResult result = this.mvc.post()
			.uri("/v2/models/softmax/infer")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header("Inference-Header-Content-Length", Integer.toString(json.length()))
			.content(body.array())
			.exchange();
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_OCTET_STREAM);
		byte[] answer = result.getResponse().getContentAsByteArray();
		int headerLength = Integer.parseInt(result.getResponse().getHeader("Inference-Header-Content-Length"));
		JsonNode header = GoldenCases.JSON.readTree(new String(answer, 0, headerLength, StandardCharsets.UTF_8));
		JsonNode output = header.get("outputs").get(0);
		assertThat(output.get("datatype").asString()).isEqualTo("FP32");
		assertThat(output.get("parameters").get("binary_data_size").asInt()).isEqualTo(24);
		assertThat(answer).hasSize(headerLength + 24);
		ByteBuffer values = ByteBuffer.wrap(answer, headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
		float[] expected = { 0.09003057f, 0.24472848f, 0.66524094f, 1 / 3f, 1 / 3f, 1 / 3f };
		for (float value : expected) {
			assertThat(values.getFloat()).isEqualTo(value);
		}
	}

	@Test
	void inferAnswersClassification() {
		assertThat(infer("softmax", """
				{"inputs": [{"name": "logits", "shape": [2, 4], "datatype": "FP64",
				"data": [[1.1, 3.3, 0.5, 2.4], [0, 0, 5, 1]]}],
				"outputs": [{"name": "probabilities", "parameters": {"classification": 2}}]}""")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.outputs[0]")
			.convertTo(JsonNode.class)
			.isEqualTo(GoldenCases.JSON.readTree(
					"""
							{"name": "probabilities", "datatype": "BYTES", "shape": [2, 2], "data":
							["0.633640126382954:1", "0.25761885058150785:3", "0.9691880269670813:2", "0.017751297917213825:3"]}"""));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					nope     | {"inputs": []}                                                                                  | 404 | There is no model 'nope'
					softmax  | {"inputs": [{"name": "logits", "shape": [1, 2], "datatype": "FP64", "data": [1, Infinity]}]}  | 400 | logits[0, 1]: +Infinity is not allowed
					softmax  | {"inputs": [{"name": "logits", "shape": [2, 2], "datatype": "FP64", "data": [1, 2, 3]}]}      | 400 | logits: The data has 3 values but the shape [2, 2] holds 4
					softmax  | {"parameters": {"axis": 2.5}, "inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}]} | 400 | parameters.axis: Expected a whole number
					softmax  | {"parameters": {"axsi": 0}, "inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}]}  | 400 | parameters.axsi: The model softmax has no parameter 'axsi'
					softmax  | {"inputs": [{"name": "logits", "shape": [2], "datatype": "INT32", "data": [1, 2]}]}          | 400 | logits: The datatype INT32 is not read for logits
					softmax  | {"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}], "outputs": [{"name": "loss"}]} | 400 | The model softmax has no output 'loss'
					cross_entropy | {"inputs": [{"name": "logits", "shape": [1, 3], "datatype": "FP64", "data": [1, 2, 3]}, {"name": "target", "shape": [1], "datatype": "INT64", "data": [3]}]} | 400 | target[0]: The class index 3 is out of range
					""")
	void inferAnswersErrorsInTheProtocolsForm(String model, String body, int status, String error) {
		MvcTestResult result = infer(model, body);
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_JSON);
		assertThat(body(result).get("error").asString()).startsWith(error).endsWith(".");
		assertThat(body(result).propertyNames()).containsExactly("error");
		assertNoInternals(result);
	}

	private MvcTestResult infer(String model, String json) {
		return this.mvc.post()
			.uri("/v2/models/" + model + "/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private static List<Integer> shape(JsonNode node) {
		List<Integer> shape = new ArrayList<>();
		for (JsonNode n = node; n.isArray(); n = n.get(0)) {
			shape.add(n.size());
		}
		return shape;
	}

	private static ArrayNode flatten(JsonNode node, ArrayNode into) {
		if (node.isArray()) {
			node.forEach((child) -> flatten(child, into));
		}
		else {
			into.add(node);
		}
		return into;
	}

	/** An output's flat data nested by its shape, as the JSON endpoints answer it. */
	private static JsonNode nest(JsonNode output) {
		List<Integer> shape = new ArrayList<>();
		output.get("shape").forEach((dim) -> shape.add(dim.asInt()));
		int[] next = { 0 };
		return nest(output.get("data"), shape, 0, next);
	}

	private static JsonNode nest(JsonNode data, List<Integer> shape, int axis, int[] next) {
		if (axis == shape.size()) {
			return data.get(next[0]++);
		}
		ArrayNode array = JsonNodeFactory.instance.arrayNode();
		for (int i = 0; i < shape.get(axis); i++) {
			array.add(nest(data, shape, axis + 1, next));
		}
		return array;
	}

}
