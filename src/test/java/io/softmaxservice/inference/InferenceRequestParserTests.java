package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading protocol requests, with the protocol's documented examples (KServe's "Predict
 * Protocol - Version 2" and Triton's binary tensor data extension) as fixtures.
 */
class InferenceRequestParserTests {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final InferenceRequestParser parser = new InferenceRequestParser(MAPPER, 100, (bytes) -> {
	});

	/** The inference request example of the protocol, with the flat data it documents. */
	@Test
	void parseReadsTheDocumentedJsonRequest() {
		InferenceRequest request = parse("""
				{
				  "id" : "42",
				  "inputs" : [
				    {
				      "name" : "input0",
				      "shape" : [ 2, 2 ],
				      "datatype" : "UINT32",
				      "data" : [ 1, 2, 3, 4 ]
				    },
				    {
				      "name" : "input1",
				      "shape" : [ 3 ],
				      "datatype" : "BOOL",
				      "data" : [ true, false, true ]
				    }
				  ],
				  "outputs" : [
				    {
				      "name" : "output0"
				    }
				  ]
				}""");
		assertThat(request.id()).isEqualTo("42");
		assertThat(request.input("input0").datatype()).isEqualTo(Datatype.UINT32);
		assertThat(request.input("input0").tensor().shape()).containsExactly(2, 2);
		assertThat(request.input("input0").tensor().values()).containsExactly(1, 2, 3, 4);
		assertThat(request.input("input1").tensor().values()).containsExactly(1, 0, 1);
		assertThat(request.outputs()).containsExactly(new InferenceRequest.Output("output0", null, null));
	}

	/**
	 * The documented example sends {@code "data": [true]} for shape [3]: the contract
	 * asks for one value per element.
	 */
	@Test
	void parseRefusesTheDocumentedExamplesShortBoolData() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parse("""
				{"inputs": [{"name": "input1", "shape": [3], "datatype": "BOOL", "data": [true]}]}"""))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/input1"))
			.withMessage("The data has 1 values but the shape [3] holds 3; send one value per element.");
	}

	/** The protocol's two forms of one matrix: natural (nested) and flattened. */
	@Test
	void parseReadsNestedAndFlatDataAlike() {
		String nested = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [2, 2], \"datatype\": \"FP64\", "
				+ "\"data\": [[1, 2], [4, 5]]}]}";
		assertThat(parse(nested).input("logits").tensor().values()).containsExactly(
				parse(nested.replace("[[1, 2], [4, 5]]", "[1, 2, 4, 5]")).input("logits").tensor().values());
	}

	/**
	 * The binary tensor data extension's documented request: a UINT32 [2, 2] input and a
	 * BOOL [3] input as 16 and 3 bytes after the JSON object.
	 */
	@Test
	void parseReadsTheDocumentedBinaryRequest() {
		String json = """
				{
				  "model_name" : "mymodel",
				  "inputs" : [
				    {"name" : "input0", "shape" : [ 2, 2 ], "datatype" : "UINT32", "parameters" : {"binary_data_size" : 16}},
				    {"name" : "input1", "shape" : [ 3 ], "datatype" : "BOOL", "parameters" : {"binary_data_size" : 3}}
				  ],
				  "outputs" : [{"name" : "output0", "parameters" : {"binary_data" : true}}]
				}""";
		byte[] header = json.getBytes(StandardCharsets.UTF_8);
		ByteBuffer body = ByteBuffer.allocate(header.length + 19).order(ByteOrder.LITTLE_ENDIAN);
		body.put(header).putInt(1).putInt(2).putInt(3).putInt(0xFFFFFFFF).put((byte) 1).put((byte) 0).put((byte) 1);
		InferenceRequest request = this.parser.parse(body.array(), header.length);
		assertThat(request.modelName()).isEqualTo("mymodel");
		assertThat(request.input("input0").tensor().values()).containsExactly(1, 2, 3, 4294967295.0);
		assertThat(request.input("input1").tensor().values()).containsExactly(1, 0, 1);
		assertThat(request.outputs()).containsExactly(new InferenceRequest.Output("output0", true, null));
	}

	@Test
	void parseKeepsFp32ValuesAsFloat32AndRoundsJsonFp32() {
		InferenceRequest request = parse("""
				{"inputs": [{"name": "logits", "shape": [1], "datatype": "FP32", "data": [0.1]}]}""");
		assertThat(request.input("logits").tensor().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(request.input("logits").tensor().values()).containsExactly((double) 0.1f);
	}

	@Test
	void parseReadsParametersAndOutputParameters() {
		InferenceRequest request = parse("""
				{"parameters": {"axis": 0, "binary_data_output": true}, "inputs": [],
				 "outputs": [{"name": "probabilities", "parameters": {"classification": 3, "binary_data": false}}]}""");
		assertThat(request.parameters().get("axis").asInt()).isZero();
		assertThat(request.binaryDataOutput()).isTrue();
		assertThat(request.outputs()).containsExactly(new InferenceRequest.Output("probabilities", false, 3));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					{"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, NaN]}]}           | /logits/1 | NaN is not allowed
					{"inputs": [{"name": "logits", "shape": [2], "datatype": "FP64", "data": [1, "2"]}]}           | /logits/1 | Expected a number in a FP64 tensor.
					{"inputs": [{"name": "mask", "shape": [2], "datatype": "BOOL", "data": [true, 1]}]}            | /mask/1   | Expected true or false in a BOOL tensor.
					{"inputs": [{"name": "mask", "shape": [3], "datatype": "BOOL", "data": [1, "x", 2]}]}          | /mask/0   | Expected true or false in a BOOL tensor.
					{"inputs": [{"name": "mask", "shape": [3], "datatype": "BOOL", "data": ["x", 1, "y"]}]}        | /mask/0   | Expected true or false in a BOOL tensor.
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": [true, "x", false]}]} | /logits/0 | Expected a number in a FP64 tensor.
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": ["x", true, "y"]}]}   | /logits/0 | Expected a number in a FP64 tensor.
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": [NaN, 1, NaN]}]}      | /logits/0 | NaN is not allowed; send a number.
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": [1, +Infinity, NaN]}]} | /logits/1 | '''+Infinity'' is not a number; the only non-finite tokens read are Infinity and -Infinity.'
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": [+Infinity, 1, +Infinity]}]} | /logits/0 | '''+Infinity'' is not a number;'
					{"inputs": [{"name": "logits", "shape": [3], "datatype": "FP64", "data": [1, NaN, +Infinity]}]} | /logits/1 | NaN is not allowed; send a number.
					{"inputs": [{"name": "logits", "shape": [2], "datatype": "FP16", "data": [1, 2]}]}             | /logits   | FP16 has no JSON form
					{"inputs": [{"name": "logits", "shape": [2], "datatype": "STRING", "data": [1, 2]}]}           | /logits   | The datatype 'STRING' is not read
					{"inputs": [{"name": "logits", "shape": [0], "datatype": "FP64", "data": []}]}                 | ''        | inputs[0].shape has a dimension of 0
					{"inputs": [{"name": "logits", "shape": [1, 1, 1, 1, 1, 1, 1, 1, 1], "datatype": "FP64", "data": [1]}]} | '' | inputs[0].shape has more than 8 dimensions
					{"inputs": [{"shape": [1], "datatype": "FP64", "data": [1]}]}                                  | ''        | inputs[0] has no name
					{"inputs": [{"name": "logits", "shape": [1], "datatype": "FP64"}]}                             | /logits   | Input 'logits' has no data
					{"inputs": [{"name": "logits", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "logits", "shape": [1], "datatype": "FP64", "data": [1]}]} | /logits | Input 'logits' is given twice
					{"inputs": [], "outputz": []}                                                                  | ''        | Unknown field 'outputz'
					{"inputs": [], "outputs": [{"name": "p", "parameters": {"classification": 0}}]}                | ''        | The parameter 'classification' of outputs[0] is not allowed here
					{"inputs": [{"name": "logits", "shape": [1], "datatype": "FP64", "data": [1], "parameters": {"binary_data_size": 8}}]} | /logits | Input 'logits' has both data and binary_data_size
					""")
	void parseRefusesMalformedTensors(String json, String pointer, String detail) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parse(json))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo(pointer))
			.withMessageStartingWith(detail);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					[]                                                        | the request must be a JSON object
					{"inputs": {}}                                            | 'inputs' must be an array of tensors
					{"inputs": [], "outputs": 3}                              | 'outputs' must be an array
					{"inputs": [3]}                                           | inputs[0] must be a JSON object
					{"inputs": [], "outputs": ["probabilities"]}              | outputs[0] must be a JSON object
					{"inputs": [{"name": "logits", "shape": 3}]}              | inputs[0].shape must be an array of whole numbers
					""")
	void parseRefusesARequestOfTheWrongStructureNamingWhatItMustBe(String json, String rule) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parse(json))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("wrong-type"))
			.withMessageStartingWith("Malformed inference request: " + rule + ".");
	}

	@Test
	void parseRefusesATensorOverTheElementLimitBeforeReadingIt() {
		assertThatExceptionOfType(InputTooLargeException.class).isThrownBy(() -> parse(
				"""
						{"inputs": [{"name": "logits", "shape": [10, 11], "datatype": "FP32", "parameters": {"binary_data_size": 440}}]}"""))
			.withMessage("The tensor has 110 elements, more than the limit of 100; send a smaller tensor.");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', value = { "[65536, 65536, 65536, 65536]; []", "[65536, 65536, 65536, 65536]; [1]",
			"[4194304, 4194304, 4194304, 4194304, 4194304, 4194304, 4194304, 4194304]; [1]" })
	void parseRefusesAShapeWhoseElementCountOverflowsAsOverTheLimit(String shape, String data) {
		// Multiplied in a long, 65536^4 wraps to 0 and 4194304^8 too: both passed the
		// limit, and a shape that holds 0 or 1 value by that count failed later with a
		// 500.
		InferenceRequestParser parser = new InferenceRequestParser(MAPPER, 4_194_304, (bytes) -> {
		});
		byte[] body = ("{\"inputs\": [{\"name\": \"logits\", \"shape\": " + shape
				+ ", \"datatype\": \"FP64\", \"data\": " + data + "}]}")
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(InputTooLargeException.class).isThrownBy(() -> parser.parse(body, body.length))
			.withMessage("The tensor has over 9223372036854775807 elements, more than the limit of 4194304; "
					+ "send a smaller tensor.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "FP64", "FP32" })
	void parseTellsTheDoublesOfJsonDataBeforeTheyAreAllocated(String datatype) {
		// 300,000 zeros: two bytes each in the body, eight as doubles, growing by
		// doubling (each new array held with the one it replaces), then cut to the
		// element count; FP32 values are rounded in that last array.
		List<Long> told = new ArrayList<>();
		InferenceRequestParser parser = new InferenceRequestParser(MAPPER, 4_194_304, told::add);
		byte[] body = ("{\"inputs\": [{\"name\": \"logits\", \"shape\": [300000], \"datatype\": \"" + datatype
				+ "\", \"data\": [" + "0,".repeat(299_999) + "0]}]}")
			.getBytes(StandardCharsets.UTF_8);
		InferenceRequest request = parser.parse(body, body.length);
		assertThat(told).containsExactly(3L * 65536 * 8, 3L * 131072 * 8, 3L * 262144 * 8, (524288L + 300_000) * 8);
		assertThat(request.input("logits").tensor().dtype())
			.isEqualTo("FP32".equals(datatype) ? DType.FLOAT32 : DType.FLOAT64);
	}

	/**
	 * Binary FP64 and FP32 stay in the body's bytes; other types are decoded into doubles
	 * (FP16 four times its bytes, BOOL eight times), told before they are allocated.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "FP16, 2, 2097152", "BOOL, 1, 2097152", "FP64, 8, ", "FP32, 4, " })
	void parseTellsTheDoublesOfDecodedBinaryDataBeforeTheyAreAllocated(String datatype, int size, @Nullable Long told) {
		List<Long> reports = new ArrayList<>();
		InferenceRequestParser parser = new InferenceRequestParser(MAPPER, 4_194_304, reports::add);
		int elements = 262144;
		byte[] json = ("{\"inputs\": [{\"name\": \"logits\", \"shape\": [" + elements + "], \"datatype\": \"" + datatype
				+ "\", \"parameters\": {\"binary_data_size\": " + elements * size + "}}]}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] body = Arrays.copyOf(json, json.length + elements * size);
		parser.parse(body, json.length);
		assertThat(reports).isEqualTo((told != null) ? List.of(told) : List.of());
	}

	@Test
	void parseRefusesADimensionOverTheElementLimitAsItReadsIt() {
		assertThatExceptionOfType(InputTooLargeException.class)
			.isThrownBy(() -> parse("{\"inputs\": [{\"name\": \"logits\", \"shape\": [4294967296, 1], "
					+ "\"datatype\": \"FP64\", \"data\": [1]}]}"))
			.withMessage("inputs[0].shape has a dimension of 4294967296, more than the limit of 100 elements; "
					+ "send a smaller tensor.");
	}

	@Test
	void parseRefusesBinaryDataOfTheWrongSize() {
		String json = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [2], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 4}}]}";
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parseBinary(json, 4))
			.withMessage("binary_data_size is 4 but 2 FP32 values take 8 bytes; send the shape's elements, "
					+ "little-endian, with no padding.");
	}

	@Test
	void parseRefusesBytesAfterTheDeclaredBinaryData() {
		String json = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [1], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 4}}]}";
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parseBinary(json, 6))
			.withMessageStartingWith("The body has 2 bytes after the JSON object and the binary data");
	}

	@Test
	void parseRefusesABodyThatEndsInsideTheBinaryData() {
		String json = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [2], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 8}}]}";
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parseBinary(json, 5))
			.withMessageStartingWith("The body ends 3 bytes before the binary data of input 'logits' does");
	}

	@Test
	void parseRefusesANonStandardInfinityWithItsOwnCode() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parse(
				"{\"inputs\": [{\"name\": \"logits\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [1, +Infinity]}]}"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("non-standard-number"));
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> parse(
				"{\"inputs\": [{\"name\": \"logits\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [1, NaN]}]}"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("nan"));
	}

	@Test
	void parseRefusesNaNInBinaryDataAtItsElement() {
		String json = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [2, 3], \"datatype\": \"FP32\", "
				+ "\"parameters\": {\"binary_data_size\": 24}}]}";
		byte[] header = json.getBytes(StandardCharsets.UTF_8);
		ByteBuffer body = ByteBuffer.allocate(header.length + 24).order(ByteOrder.LITTLE_ENDIAN);
		body.put(header).putFloat(0).putFloat(1).putFloat(2).putFloat(3).putFloat(Float.NaN).putFloat(5);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> this.parser.parse(body.array(), header.length))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/1/1"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("nan"));
	}

	private InferenceRequest parse(String json) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		return this.parser.parse(body, body.length);
	}

	private InferenceRequest parseBinary(String json, int binaryBytes) {
		byte[] header = json.getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[header.length + binaryBytes];
		System.arraycopy(header, 0, body, 0, header.length);
		return this.parser.parse(body, header.length);
	}

}
