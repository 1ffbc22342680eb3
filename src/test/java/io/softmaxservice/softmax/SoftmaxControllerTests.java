package io.softmaxservice.softmax;

import java.util.List;

import io.softmaxservice.ContractTolerance;
import io.softmaxservice.GoldenCases;
import io.softmaxservice.system.TensorElementsMetrics;
import io.softmaxservice.GoldenCases.GoldenCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static io.softmaxservice.ProblemAssertions.assertNoInternals;
import static io.softmaxservice.ProblemAssertions.assertProblem;
import static io.softmaxservice.ProblemAssertions.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP mapping of {@code POST /softmax}: golden vectors from PyTorch and every error
 * class of the contract with its status and pointer.
 */
@WebMvcTest(SoftmaxController.class)
@Import({ SoftmaxValidator.class, SoftmaxKernel.class, TensorElementsMetrics.class })
class SoftmaxControllerTests {

	@Autowired
	private MockMvcTester mvc;

	static List<GoldenCase> golden() {
		return GoldenCases.load("softmax.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("golden")
	void softmaxMatchesPyTorch(GoldenCase golden) {
		ContractTolerance.assertAnswers(post(golden.requestJson()), golden);
	}

	@Test
	void softmaxOfSeedExampleIsExact() {
		assertThat(post("{\"logits\": [[1, 2, 3]]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"probabilities\":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}");
	}

	@Test
	void softmaxWritesShortestFloat32() {
		assertThat(post("{\"logits\": [0.1, 0.2, 0.3], \"dtype\": \"float32\"}")).hasStatusOk()
			.bodyText()
			.isEqualTo("{\"probabilities\":[0.30060962,0.332225,0.36716542]}");
	}

	@Test
	void logSoftmaxWritesMaskedAsBareMinusInfinity() {
		assertThat(post("{\"logits\": [0, -Infinity], \"log\": true}")).hasStatusOk()
			.bodyText()
			.isEqualTo("{\"log_probabilities\":[0.0,-Infinity]}");
	}

	@Test
	void softmaxReadsLongNumberLiterals() {
		String digits = "1." + "0".repeat(4998) + "1";
		assertThat(post("{\"logits\": [" + digits + ", 1]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"probabilities\":[0.5,0.5]}");
	}

	@Test
	void softmaxWithMaskAnswersAsMinusInfinityLogitsDo() throws Exception {
		String masked = post(
				"{\"logits\": [[1, 2, 3], [4, 1e400, 6]], \"mask\": [[true, false, true], [true, false, true]], "
						+ "\"log\": true}")
			.getResponse()
			.getContentAsString();
		String minusInfinity = post("{\"logits\": [[1, -Infinity, 3], [4, -Infinity, 6]], \"log\": true}").getResponse()
			.getContentAsString();
		assertThat(masked).isEqualTo(minusInfinity).contains("-Infinity");
		assertThat(post("{\"logits\": [0, 0, 5], \"mask\": [true, true, false]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"probabilities\":[0.5,0.5,0.0]}");
	}

	@Test
	void softmaxWithAllTrueMaskChangesNothing() {
		assertThat(post("{\"logits\": [[1, 2, 3]], \"mask\": [[true, true, true]]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"probabilities\":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}");
	}

	@Test
	void softmaxAcceptsWholeAxisWrittenAsDecimal() {
		assertThat(post("{\"logits\": [[1, 2], [3, 4]], \"axis\": 0.0}")).hasStatusOk();
		assertThat(post("{\"logits\": [[1, 2], [3, 4]], \"axis\": -1e0}")).hasStatusOk();
	}

	@Test
	void softmaxTreatsNullAsDefault() {
		assertThat(post("{\"logits\": [1, 1], \"axis\": null, \"temperature\": null, \"log\": null, \"dtype\": null}"))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"probabilities\":[0.5,0.5]}");
	}

	@ParameterizedTest(name = "{0} -> {1} at {2}: {3}")
	@CsvSource(delimiter = '|', textBlock = """
			{"logits": [[1, 2, 3], [4, 5], [6, 7, 8]]}                 | 400 | /logits/1 | ragged
			{"logits": [[1, 2], [3, 4, 5]]}                             | 400 | /logits/1 | ragged
			{"logits": [[1, 2], 3]}                                     | 400 | /logits/1 | ragged
			{"logits": [[1, [2]], [3, 4]]}                              | 400 | /logits/0/1 | ragged
			{"logits": []}                                              | 400 | /logits | empty
			{"logits": [[1], []]}                                       | 400 | /logits/1 | empty
			{"logits": 3}                                               | 400 | /logits | rank
			{"logits": [[[[[[[[[1]]]]]]]]]}                             | 400 | /logits/0/0/0/0/0/0/0/0 | rank
			{"logits": [1, "2"]}                                        | 400 | /logits/1 | wrong-type
			{"logits": [1, null]}                                       | 400 | /logits/1 | wrong-type
			{"logits": [1, true]}                                       | 400 | /logits/1 | wrong-type
			{"logits": [1, {}]}                                         | 400 | /logits/1 | wrong-type
			{"logits": {"a": 1}}                                        | 400 | /logits | wrong-type
			{"logits": [1, NaN]}                                        | 400 | /logits/1 | nan
			{"logits": [[1, 2], [Infinity, 0]]}                         | 400 | /logits/1/0 | not-finite
			{"logits": [1, 1e400]}                                      | 400 | /logits/1 | not-finite
			{"logits": [1, 1e39], "dtype": "float32"}                   | 400 | /logits/1 | not-finite
			{"logits": [1.7e308, -1.7e308], "log": true}                | 400 | /logits/1 | overflow
			{"logits": [[0, 1], [-Infinity, -Infinity]]}                | 400 | /logits/1 | masked-slice
			{"logits": [[0, -Infinity], [1, -Infinity]], "axis": 0}     | 400 | /logits/0/1 | masked-slice
			{"logits": [1, -INF]}                                       | 400 | /logits/1 | non-standard-number
			{"logits": [1, +INF]}                                       | 400 | /logits/1 | non-standard-number
			{"logits": [1, +Infinity]}                                  | 400 | /logits/1 | non-standard-number
			{}                                                          | 400 | /logits | required
			{"logits": null}                                            | 400 | /logits | required
			{"logits": [1, 2], "axsi": 0}                               | 400 | /axsi | unknown-field
			{"logits": [1, 2], "axis": 1}                               | 400 | /axis | out-of-range
			{"logits": [1, 2], "axis": -2}                              | 400 | /axis | out-of-range
			{"logits": [1, 2], "axis": 0.5}                             | 400 | /axis | not-whole
			{"logits": [1, 2], "axis": "0"}                             | 400 | /axis | wrong-type
			{"logits": [1, 2], "axis": 1e10}                            | 400 | /axis | out-of-range
			{"logits": [1, 2], "temperature": 0}                        | 400 | /temperature | out-of-range
			{"logits": [1, 2], "temperature": -1}                       | 400 | /temperature | out-of-range
			{"logits": [1, 2], "temperature": Infinity}                 | 400 | /temperature | out-of-range
			{"logits": [1, 2], "temperature": NaN}                      | 400 | /temperature | out-of-range
			{"logits": [1, 2], "temperature": "1"}                      | 400 | /temperature | wrong-type
			{"logits": [1, 2], "log": "true"}                           | 400 | /log | wrong-type
			{"logits": [1, 2], "log": 1}                                | 400 | /log | wrong-type
			{"logits": [1, 2], "dtype": "float16"}                      | 400 | /dtype | unknown-value
			{"logits": [1, 2], "dtype": 0}                              | 400 | /dtype | wrong-type
			{"logits": [1, 2], "dtype": "FLOAT32"}                      | 400 | /dtype | unknown-value
			{"logits": [1, 2], "dtype": "float32 "}                     | 400 | /dtype | unknown-value
			{"logits": [1, 2], "dtype": " float32"}                     | 400 | /dtype | unknown-value
			{"logits": [1, 2], "mask": [true]}                          | 400 | /mask | shape-mismatch
			{"logits": [[1, 2]], "mask": [true, true]}                  | 400 | /mask | shape-mismatch
			{"logits": [1, 2], "mask": [true, 1]}                       | 400 | /mask/1 | wrong-type
			{"logits": [1, 2], "mask": 0}                               | 400 | /mask | wrong-type
			{"logits": [1, 2], "mask": [[true], [false, true]]}         | 400 | /mask/1 | ragged
			{"logits": [[1, 2]], "mask": [[false, false]]}              | 400 | /logits/0 | masked-slice
			{"logits": [[1, -Infinity]], "mask": [[false, true]]}       | 400 | /logits/0 | masked-slice
			""")
	void softmaxWhenInputIsInvalidReturns400WithPointer(String body, int status, String pointer, String code) {
		assertProblem(post(body), status, pointer, code);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			{"logits": [1, 2]} trailing               | '' | malformed-json
			{"logits": [1, 2]}{}                        | '' | malformed-json
			{"logits": [1, 2], "axis": 0, "axis": 0}    | /axis | malformed-json
			{"logits": [1, +2]}                         | /logits/1 | malformed-json
			{"logits": [1, .5]}                         | /logits/1 | malformed-json
			{"logits": [1, 01]}                         | /logits/1 | malformed-json
			{"logits": [1, 2,]}                         | /logits/2 | malformed-json
			{"logits": [1, inf]}                        | /logits/1 | malformed-json
			{"logits": [1, -NaN]}                       | /logits/1 | malformed-json
			{"logits": [1, +NaN]}                       | /logits/1 | malformed-json
			{"logits": [1, INF]}                        | /logits/1 | malformed-json
			{"logits": [1, 1.]}                         | /logits/1 | malformed-json
			{"logits": [1, -01]}                        | /logits/1 | malformed-json
			{"logits": [1, 1e]}                         | /logits/1 | malformed-json
			{"logits": [1, 2]} /* comment */            | '' | malformed-json
			{"logits": [1, 2]                           | /logits | malformed-json
			{"logits": [1, 2                            | /logits/1 | malformed-json
			[1, 2]                                      | '' | malformed-json
			null                                        | '' | malformed-json
			"logits"                                    | '' | malformed-json
			""")
	void softmaxWhenJsonIsMalformedReturns400(String body, String pointer, String code) {
		MvcTestResult result = post(body);
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = body(result);
		assertThat(problem.get("type").asString()).isEqualTo("urn:softmax-service:problem:malformed-json");
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(problem.get("errors").get(0).get("pointer").asString()).isEqualTo(pointer);
		assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo(code);
		assertNoInternals(result);
	}

	@Test
	void softmaxWhenJsonNestsBeyondTheParserLimitReturns400() {
		MvcTestResult result = post("{\"logits\": [1, 2], \"b\": " + "[".repeat(2000) + "]".repeat(2000) + "}");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = body(result);
		assertThat(problem.get("type").asString()).isEqualTo("urn:softmax-service:problem:malformed-json");
		assertThat(problem.get("detail").asString()).contains("nesting depth").doesNotContain("from");
		assertThat(problem.get("errors").get(0).get("pointer").asString()).isEmpty();
		assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo("parser-limit");
		assertNoInternals(result);
	}

	@Test
	void softmaxWhenBodyIsEmptyReturns400() {
		MvcTestResult result = post("");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(body(result).get("type").asString()).isEqualTo("urn:softmax-service:problem:malformed-json");
		assertThat(body(result).get("errors").get(0).get("code").asString()).isEqualTo("malformed-json");
	}

	@Test
	void softmaxWhenContentTypeIsNotJsonReturns415() {
		MvcTestResult result = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.TEXT_PLAIN)
			.content("{}")
			.exchange();
		assertThat(result).hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(body(result).get("type").asString()).isEqualTo("urn:softmax-service:problem:unsupported-media-type");
		assertThat(body(result).get("status").asInt()).isEqualTo(415);
	}

	@Test
	void softmaxWhenContentTypeIsMissingReturns415() {
		assertThat(this.mvc.post().uri("/softmax").content("{\"logits\": [1]}")).hasStatus(415)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void softmaxWhenMethodIsGetReturns405() {
		MvcTestResult result = this.mvc.get().uri("/softmax").exchange();
		assertThat(result).hasStatus(405)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Allow", "POST,OPTIONS");
		assertThat(body(result).get("type").asString()).isEqualTo("urn:softmax-service:problem:method-not-allowed");
		assertThat(body(result).get("title").asString()).isEqualTo("Method not allowed");
	}

	@Test
	void unknownPathReturns404Problem() {
		MvcTestResult result = this.mvc.post()
			.uri("/softmaxx")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{}")
			.exchange();
		assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(body(result).get("type").asString()).isEqualTo("urn:softmax-service:problem:not-found");
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/softmax").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
