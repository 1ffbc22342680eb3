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
				ObjectNode input = inputs.addObject()
					.put("name", field)
					.put("datatype", field.equals("mask") ? "BOOL" : "FP64");
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

	/**
	 * Binary tensors are scanned once, by the reader: the infinities it finds are refused
	 * with the same error as in JSON data, NaN before +Infinity wherever they are, and a
	 * masked +Infinity is no error.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			FP32 | 1, Infinity, 3, 4           | ''                      | 400 | logits[0, 1]: +Infinity is not allowed
			FP64 | 1, 2, 3, Infinity           | ''                      | 400 | logits[1, 1]: +Infinity is not allowed
			FP32 | 1, Infinity, NaN, 4         | ''                      | 400 | logits[1, 0]: NaN is not allowed
			FP32 | -Infinity, 2, Infinity, 4   | ''                      | 400 | logits[1, 0]: +Infinity is not allowed
			FP32 | 1, Infinity, 3, 4           | true, false, true, true | 200 | ''
			""")
	void inferRefusesNonFiniteBinaryDataAsItRefusesJsonData(String datatype, String values, String mask, int status,
			String error) {
		String[] logits = values.split(", ");
		int width = datatype.equals("FP32") ? 4 : 8;
		String maskInput = mask.isEmpty() ? ""
				: ",{\"name\":\"mask\",\"shape\":[2,2],\"datatype\":\"BOOL\",\"data\":[" + mask + "]}";
		String json = "{\"inputs\":[{\"name\":\"logits\",\"shape\":[2,2],\"datatype\":\"" + datatype
				+ "\",\"parameters\":{\"binary_data_size\":" + 4 * width + "}}" + maskInput + "]}";
		ByteBuffer body = ByteBuffer.allocate(json.length() + 4 * width).order(ByteOrder.LITTLE_ENDIAN);
		body.put(json.getBytes(StandardCharsets.UTF_8));
		for (String logit : logits) {
			double value = Double.parseDouble(logit);
			if (width == 4) {
				body.putFloat((float) value);
			}
			else {
				body.putDouble(value);
			}
		}
		MvcTestResult result = inferBinary(json, body);
		assertThat(result).hasStatus(status);
		if (status != 200) {
			assertThat(body(result).get("error").asString()).startsWith(error);
		}
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
		MvcTestResult result = inferBinary(json, body);
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

	@Test
	void inferMasksClassesWithABoolMask() throws Exception {
		MvcTestResult result = infer("log_softmax",
				"""
						{"inputs": [{"name": "logits", "shape": [2, 2], "datatype": "FP64", "data": [0, 0, 0, 0]},
						            {"name": "mask", "shape": [2, 2], "datatype": "BOOL", "data": [true, true, false, true]}]}""");
		assertThat(result).hasStatusOk();
		assertThat(result.getResponse().getContentAsString())
			.contains("\"data\":[-0.6931471805599453,-0.6931471805599453,-Infinity,0.0]");
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
					softmax_grad  | {"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}], "outputs": [{"name": "grad_logits"}]} | 400 | grad_output: The field 'grad_output' is required
					softmax_grad  | {"parameters": {"mode": "vjp"}, "inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}, {"name": "grad_output", "shape": [2], "datatype": "FP64", "data": [1, 2]}], "outputs": [{"name": "jacobian"}]} | 400 | The output 'jacobian' is not computed with these parameters
					softmax       | {"parameters": {"temperature": "hot"}, "inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}]} | 400 | parameters.temperature: Expected a number
					softmax       | {"parameters": {"dtype": "float16"}, "inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}]} | 400 | parameters.dtype: The value "float16" is not allowed here
					softmax       | {"inputs": [{"name": "target", "shape": [2], "datatype": "FP64", "data": [1, 2]}]} | 400 | The model softmax has no input 'target'
					softmax       | {"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}], "outputs": [{"name": "probabilities", "parameters": {"classification": 3}}]} | 400 | classification 3 on output 'probabilities' asks for more than its 2 classes
					cross_entropy | {"model_name": "softmax", "inputs": []} | 400 | The body names the model 'softmax' but the URL names 'cross_entropy'
					softmax       | {"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}, {"name": "mask", "shape": [2], "datatype": "BOOL", "data": [false, false]}]} | 400 | logits: Every class of this slice along axis 0 is masked out (a -Infinity logit or a false in mask)
					softmax       | {"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, 2]}, {"name": "mask", "shape": [2], "datatype": "FP64", "data": [1, 0]}]} | 400 | mask: The datatype FP64 is not read for mask
							""")
	void inferAnswersErrorsInTheProtocolsForm(String model, String body, int status, String error) {
		MvcTestResult result = infer(model, body);
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_JSON);
		assertThat(body(result).get("error").asString()).startsWith(error).endsWith(".");
		assertThat(body(result).propertyNames()).containsExactly("error");
		assertNoInternals(result);
	}

	@Test
	void serverMetadataNamesTheExtensions() {
		assertThat(this.mvc.get().uri("/v2")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.extensions")
			.asArray()
			.containsExactly("binary_tensor_data", "classification");
	}

	@Test
	void healthIsLiveAndReadyOnceTheApplicationAcceptsTraffic() {
		assertThat(this.mvc.get().uri("/v2/health/live")).hasStatusOk().bodyJson().isStrictlyEqualTo("{\"live\":true}");
		assertThat(this.mvc.get().uri("/v2/health/ready")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"ready\":true}");
		assertThat(this.mvc.get().uri("/v2/models/softmax/versions/1/ready")).hasStatusOk();
	}

	@Test
	void modelMetadataListsInputsAndOutputs() {
		assertThat(this.mvc.get().uri("/v2/models/softmax_grad")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"name": "softmax_grad", "versions": ["1"], "platform": "softmax-service",
				 "inputs": [{"name": "logits", "datatype": "FP64", "shape": [-1, -1]},
				            {"name": "probabilities", "datatype": "FP64", "shape": [-1, -1]},
				            {"name": "log_probabilities", "datatype": "FP64", "shape": [-1, -1]},
				            {"name": "grad_output", "datatype": "FP64", "shape": [-1, -1]},
				            {"name": "mask", "datatype": "BOOL", "shape": [-1, -1]}],
				 "outputs": [{"name": "grad_logits", "datatype": "FP64", "shape": [-1, -1]},
				             {"name": "jacobian", "datatype": "FP64", "shape": [-1, -1, -1]}]}""");
	}

	@ParameterizedTest
	@CsvSource({ "/v2/models/argmax, There is no model 'argmax'",
			"/v2/models/softmax/versions/2, The model softmax has no version '2'",
			"/v2/models/argmax/ready, There is no model 'argmax'" })
	void unknownModelOrVersionIs404(String uri, String error) {
		MvcTestResult result = this.mvc.get().uri(uri).exchange();
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_JSON);
		assertThat(body(result).get("error").asString()).startsWith(error);
	}

	@Test
	void inferUnderVersion1IsTheModel() {
		MvcTestResult result = this.mvc.post()
			.uri("/v2/models/log_softmax/versions/1/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"inputs\": [{\"name\": \"logits\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [0, 0]}]}")
			.exchange();
		assertThat(result).hasStatusOk();
		assertThat(body(result).at("/outputs/0/data").toString())
			.isEqualTo("[-0.6931471805599453,-0.6931471805599453]");
	}

	/** FP16 travels only as binary data, and is computed and answered in float32. */
	@Test
	void inferReadsFp16BinaryDataAndAnswersFp32() {
		String json = "{\"inputs\":[{\"name\":\"logits\",\"shape\":[2],\"datatype\":\"FP16\","
				+ "\"parameters\":{\"binary_data_size\":4}}]}";
		ByteBuffer body = ByteBuffer.allocate(json.length() + 4).order(ByteOrder.LITTLE_ENDIAN);
		body.put(json.getBytes(StandardCharsets.UTF_8)).putShort((short) 0x3C00).putShort((short) 0x3C00);
		MvcTestResult result = inferBinary(json, body);
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertThat(body(result).at("/outputs/0/datatype").asString()).isEqualTo("FP32");
		assertThat(body(result).at("/outputs/0/data").toString()).isEqualTo("[0.5,0.5]");
	}

	/** binary_data_output asks for every output as binary data: the loss and gradient. */
	@Test
	void inferAnswersEveryOutputAsBinaryDataWithBinaryDataOutput() {
		MvcTestResult result = infer("cross_entropy", """
				{"parameters": {"binary_data_output": true, "include_grad": true},
				 "inputs": [{"name": "logits", "shape": [1, 2], "datatype": "FP64", "data": [0, 0]},
				            {"name": "target", "shape": [1], "datatype": "INT32", "data": [1]}]}""");
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_OCTET_STREAM);
		byte[] answer = result.getResponse().getContentAsByteArray();
		int headerLength = Integer.parseInt(result.getResponse().getHeader("Inference-Header-Content-Length"));
		JsonNode header = GoldenCases.JSON.readTree(new String(answer, 0, headerLength, StandardCharsets.UTF_8));
		assertThat(header.at("/outputs/0/name").asString()).isEqualTo("loss");
		assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(8);
		assertThat(header.at("/outputs/1/parameters/binary_data_size").asInt()).isEqualTo(16);
		ByteBuffer values = ByteBuffer.wrap(answer, headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(values.getDouble()).isEqualTo(Math.log(2));
		assertThat(values.getDouble()).isEqualTo(0.5);
		assertThat(values.getDouble()).isEqualTo(-0.5);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					application/json         | ''   | {"inputs": [                        | 400 | The request body is not valid JSON
					text/plain               | ''   | {"inputs": []}                      | 415 | Content-Type 'text/plain
					application/octet-stream | 99   | {"inputs": []}                      | 400 | Inference-Header-Content-Length must be the length
					""")
	void inferAnswersFrameworkErrorsInTheProtocolsForm(String contentType, String headerLength, String body, int status,
			String error) {
		var request = this.mvc.post().uri("/v2/models/softmax/infer").contentType(contentType).content(body);
		if (!headerLength.isEmpty()) {
			request.header("Inference-Header-Content-Length", headerLength);
		}
		MvcTestResult result = request.exchange();
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_JSON);
		assertThat(body(result).get("error").asString()).startsWith(error);
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

	/** Posts a binary inference request: its JSON header, then the tensors' bytes. */
	private MvcTestResult inferBinary(String json, ByteBuffer body) {
		return this.mvc.post()
			.uri("/v2/models/softmax/infer")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header("Inference-Header-Content-Length", Integer.toString(json.length()))
			.content(body.array())
			.exchange();
	}

}
