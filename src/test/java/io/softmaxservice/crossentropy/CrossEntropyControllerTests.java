package io.softmaxservice.crossentropy;

import java.util.List;

import io.softmaxservice.ContractTolerance;
import io.softmaxservice.GoldenCases;
import io.softmaxservice.system.TensorElementsMetrics;
import io.softmaxservice.GoldenCases.GoldenCase;
import io.softmaxservice.softmax.SoftmaxKernel;
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
 * HTTP mapping of {@code POST /cross-entropy}: golden vectors from PyTorch (loss and
 * autograd gradient) and every error class of the contract with its status and pointer.
 */
@WebMvcTest(CrossEntropyController.class)
@Import({ CrossEntropyValidator.class, CrossEntropyKernel.class, SoftmaxKernel.class, TensorElementsMetrics.class })
class CrossEntropyControllerTests {

	@Autowired
	private MockMvcTester mvc;

	static List<GoldenCase> golden() {
		return GoldenCases.load("cross_entropy.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("golden")
	void crossEntropyMatchesPyTorch(GoldenCase golden) {
		ContractTolerance.assertAnswers(post(golden.requestJson()), golden);
	}

	@Test
	void crossEntropyOfFirstSeedExampleMatchesPyTorch() {
		JsonNode body = body(post("{\"logits\": [[8, -3, 10]], \"target\": [1], \"reduction\": \"sum\"}"));
		assertThat(body.propertyNames()).containsExactly("loss");
		assertThat(body.get("loss").isNumber()).isTrue();
		assertThat(body.get("loss").asDouble()).isCloseTo(13.126930001932527, within(1e-12 * 13.2));
	}

	@Test
	void crossEntropyOfSecondSeedExampleMatchesPyTorch() {
		JsonNode body = body(post("{\"logits\": [[10, -5, 5], [5, 2, -1], [4, -9, 5]], \"target\": [1, 1, 1], "
				+ "\"reduction\": \"sum\"}"));
		assertThat(body.get("loss").asDouble()).isCloseTo(32.37092371128128, within(1e-12 * 32.4));
	}

	@Test
	void crossEntropyOfHugeGapIsExactly2000() {
		assertThat(post("{\"logits\": [[-1000, 0, 1000]], \"target\": [0], \"include_grad\": true}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"loss\":2000.0,\"grad_logits\":[[-1.0,0.0,1.0]]}");
	}

	@Test
	void crossEntropyWithReductionNoneOfRank1LogitsIsANumber() {
		assertThat(post("{\"logits\": [0, 0], \"target\": 1, \"reduction\": \"none\"}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"loss\":0.6931471805599453}");
	}

	@Test
	void crossEntropyWithReductionNoneGivesZeroForIgnoredTargets() {
		assertThat(post("{\"logits\": [[0, 0], [0, 0]], \"target\": [-100, 1], \"reduction\": \"none\"}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"loss\":[0.0,0.6931471805599453]}");
	}

	@Test
	void crossEntropyWritesShortestFloat32() {
		assertThat(post("{\"logits\": [0.1, 0.2, 0.3], \"target\": 2, \"dtype\": \"float32\"}")).hasStatusOk()
			.bodyText()
			.isEqualTo("{\"loss\":1.0019429}");
	}

	@Test
	void crossEntropyTreatsNullAsDefault() {
		assertThat(post("{\"logits\": [0, 0], \"target\": 0, \"axis\": null, \"weight\": null, "
				+ "\"ignore_index\": null, \"reduction\": null, \"label_smoothing\": null, \"include_grad\": null, "
				+ "\"dtype\": null}"))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"loss\":0.6931471805599453}");
	}

	@Test
	void crossEntropyAcceptsWholeIndicesWrittenAsDecimals() {
		assertThat(post("{\"logits\": [[0, 0], [0, 0]], \"target\": [1.0, 1e0], \"ignore_index\": -1e2}"))
			.hasStatusOk();
	}

	@ParameterizedTest(name = "{0} -> {1} at {2}: {3}")
	@CsvSource(delimiter = '|',
			textBlock = """
					{"target": [0]}                                                              | 400 | /logits | required
					{"logits": 3, "target": 0}                                                   | 400 | /logits | rank
					{"logits": [[1, 2], [3]], "target": [0, 0]}                                  | 400 | /logits/1 | ragged
					{"logits": [[1, NaN]], "target": [0]}                                        | 400 | /logits/0/1 | nan
					{"logits": [[1, Infinity]], "target": [0]}                                   | 400 | /logits/0/1 | not-finite
					{"logits": [[1, 1e39]], "target": [0], "dtype": "float32"}                   | 400 | /logits/0/1 | not-finite
					{"logits": [[-Infinity, -Infinity]], "target": [0]}                          | 400 | /logits/0 | masked-slice
					{"logits": [[1, 2]]}                                                         | 400 | /target | required
					{"logits": [[1, 2]], "target": null}                                         | 400 | /target | required
					{"logits": [[1, 2]], "target": [0, 1]}                                       | 400 | /target | shape-mismatch
					{"logits": [[1, 2]], "target": 0}                                            | 400 | /target | shape-mismatch
					{"logits": [[1, 2], [3, 4]], "target": [[0.5, 0.5]]}                         | 400 | /target | shape-mismatch
					{"logits": [1, 2], "target": [0]}                                            | 400 | /target | shape-mismatch
					{"logits": [[1, 2], [3, 4]], "target": [0, 2]}                               | 400 | /target/1 | out-of-range
					{"logits": [[1, 2], [3, 4]], "target": [-1, 0]}                              | 400 | /target/0 | out-of-range
					{"logits": [[1, 2], [3, 4]], "target": [0, 1e10]}                            | 400 | /target/1 | out-of-range
					{"logits": [[1, 2], [3, 4]], "target": [0, 0.5]}                             | 400 | /target/1 | not-whole
					{"logits": [[1, 2], [3, 4]], "target": [0, Infinity]}                        | 400 | /target/1 | not-whole
					{"logits": [[1, 2], [3, 4]], "target": [0, NaN]}                             | 400 | /target/1 | nan
					{"logits": [[1, 2], [3, 4]], "target": [0, "1"]}                             | 400 | /target/1 | wrong-type
					{"logits": [[1, 2], [3, 4]], "target": [-100, 2], "ignore_index": 2}         | 400 | /target/0 | out-of-range
					{"logits": [1, 2, 3], "target": 3}                                           | 400 | /target | out-of-range
					{"logits": [[[1, 2], [3, 4]]], "target": [[0, 5]], "axis": -1}               | 400 | /target/0/1 | out-of-range
					{"logits": [[1, 2], [3, 4]], "target": [[0.5, 0.5], [1.5, -0.5]]}            | 400 | /target/1/0 | out-of-range
					{"logits": [[1, 2], [3, 4]], "target": [[0.5, 0.5], [0, -0.1]]}             | 400 | /target/1/1 | out-of-range
					{"logits": [[1, 2]], "target": [[0.5, 0.5]], "ignore_index": 0}              | 400 | /ignore_index | not-allowed
					{"logits": [[1, 2]], "target": [0], "ignore_index": 0.5}                     | 400 | /ignore_index | not-whole
					{"logits": [[1, 2]], "target": [0], "ignore_index": "-100"}                  | 400 | /ignore_index | wrong-type
					{"logits": [[1, 2]], "target": [0], "axis": 2}                               | 400 | /axis | out-of-range
					{"logits": [[1, 2]], "target": [0], "axis": -3}                              | 400 | /axis | out-of-range
					{"logits": [[1, 2]], "target": [0], "axis": 1.5}                             | 400 | /axis | not-whole
					{"logits": [[1, 2]], "target": [0], "weight": [1]}                           | 400 | /weight | shape-mismatch
					{"logits": [[1, 2]], "target": [0], "weight": [1, 2, 3]}                     | 400 | /weight | shape-mismatch
					{"logits": [[1, 2]], "target": [0], "weight": [[1, 2]]}                      | 400 | /weight | shape-mismatch
					{"logits": [1], "target": 0, "weight": 1}                                    | 400 | /weight | shape-mismatch
					{"logits": [[1, 2]], "target": [0], "weight": [1, -2]}                       | 400 | /weight/1 | out-of-range
					{"logits": [[1, 2]], "target": [0], "weight": [Infinity, 1]}                 | 400 | /weight/0 | not-finite
					{"logits": [[1, 2]], "target": [0], "weight": [1e39, 1], "dtype": "float32"} | 400 | /weight/0 | not-finite
					{"logits": [[1, 2]], "target": [0], "weight": [1, NaN]}                      | 400 | /weight/1 | nan
					{"logits": [[1, 2]], "target": [0], "label_smoothing": -0.1}                 | 400 | /label_smoothing | out-of-range
					{"logits": [[1, 2]], "target": [0], "label_smoothing": 1.5}                  | 400 | /label_smoothing | out-of-range
					{"logits": [[1, 2]], "target": [0], "label_smoothing": NaN}                  | 400 | /label_smoothing | out-of-range
					{"logits": [[1, 2]], "target": [0], "label_smoothing": "0.1"}                | 400 | /label_smoothing | wrong-type
					{"logits": [[1, 2]], "target": [0], "reduction": "average"}                  | 400 | /reduction | unknown-value
					{"logits": [[1, 2]], "target": [0], "reduction": "MEAN"}                     | 400 | /reduction | unknown-value
					{"logits": [[1, 2]], "target": [0], "reduction": 0}                          | 400 | /reduction | wrong-type
					{"logits": [[1, 2]], "target": [0], "include_grad": "true"}                  | 400 | /include_grad | wrong-type
					{"logits": [[1, 2]], "target": [0], "dtype": "float16"}                      | 400 | /dtype | unknown-value
					{"logits": [[1, 2]], "target": [0], "labelSmoothing": 0.1}                   | 400 | /labelSmoothing | unknown-field
					{"logits": [[1, 2], [3, 4]], "target": [-100, -100]}                         | 400 | /target | mean-undefined
					{"logits": [3, 4], "target": 1, "ignore_index": 1, "reduction": "mean"}      | 400 | /target | mean-undefined
					{"logits": [[1, 2], [3, 4]], "target": [0, -100], "weight": [0, 1]}          | 400 | /weight | mean-undefined
					{"logits": [[1, -Infinity]], "target": [1]}                                  | 400 | /target/0 | masked-target
					{"logits": [[1, -Infinity]], "target": [0], "label_smoothing": 0.1}          | 400 | /logits/0/1 | masked-target
					{"logits": [[1, -Infinity]], "target": [[0.5, 0.5]]}                         | 400 | /target/0/1 | masked-target
					{"logits": [[1, -Infinity]], "target": [[1, 0]], "label_smoothing": 0.5}     | 400 | /logits/0/1 | masked-target
					{"logits": [[-1e308, 1e308]], "target": [0]}                                 | 400 | /logits | overflow
					{"logits": [[1, 2]], "target": [0], "mask": [true, true]}                    | 400 | /mask | shape-mismatch
					{"logits": [[1, 2]], "target": [0], "mask": [[true, 2]]}                     | 400 | /mask/0/1 | wrong-type
					{"logits": [[1, 2]], "target": [0], "mask": [[false, false]]}                | 400 | /logits/0 | masked-slice
					{"logits": [[1, 2]], "target": [1], "mask": [[true, false]]}                 | 400 | /target/0 | masked-target
					{"logits": [[1, 2]], "target": [[0.5, 0.5]], "mask": [[true, false]]}        | 400 | /target/0/1 | masked-target
					""")
	void crossEntropyWhenInputIsInvalidReturns400WithPointer(String body, int status, String pointer, String code) {
		assertProblem(post(body), status, pointer, code);
	}

	@Test
	void crossEntropyWithMaskAnswersAsMinusInfinityLogitsDo() throws Exception {
		String masked = post("{\"logits\": [[1, 2, 3], [4, 5, 6]], \"target\": [0, 2], \"include_grad\": true, "
				+ "\"mask\": [[true, false, true], [false, true, true]]}")
			.getResponse()
			.getContentAsString();
		String minusInfinity = post(
				"{\"logits\": [[1, -Infinity, 3], [-Infinity, 5, 6]], \"target\": [0, 2], " + "\"include_grad\": true}")
			.getResponse()
			.getContentAsString();
		assertThat(masked).isEqualTo(minusInfinity).contains("grad_logits");
	}

	@Test
	void crossEntropyWhenTargetIndexIsOutOfRangeReturns400() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6]], \"target\": [0, 3]}");
		assertThat(result).hasStatus(400);
		JsonNode problem = body(result);
		assertThat(problem.get("errors").get(0).get("pointer").asString()).isEqualTo("/target/1");
		assertThat(problem.get("detail").asString()).contains("3", "0 to 2", "ignore_index");
	}

	@Test
	void crossEntropyWhenTargetShapeMatchesNeitherFormNamesBoth() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6]], \"target\": [0, 1, 2]}");
		assertThat(result).hasStatus(400);
		assertThat(body(result).get("detail").asString()).contains("[3]", "[2]", "[2, 3]");
	}

	@Test
	void crossEntropyWhenEveryTargetIsIgnoredWithMeanReturns400() {
		MvcTestResult result = post("{\"logits\": [[1, 2]], \"target\": [-100], \"reduction\": \"mean\"}");
		assertThat(result).hasStatus(400);
		assertThat(body(result).get("detail").asString()).contains("mean is undefined");
		assertThat(post("{\"logits\": [[1, 2]], \"target\": [-100], \"reduction\": \"sum\"}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"loss\":0.0}");
	}

	@Test
	void crossEntropyWhenReductionIsUnknownNamesTheChoices() {
		MvcTestResult result = post("{\"logits\": [[1, 2]], \"target\": [0], \"reduction\": \"avg\"}");
		assertThat(result).hasStatus(400);
		assertThat(body(result).get("detail").asString()).contains("\"mean\"", "\"sum\"", "\"none\"");
	}

	@Test
	void crossEntropyWhenTargetClassIsMaskedSaysSo() {
		MvcTestResult result = post("{\"logits\": [[0, 1], [1, -Infinity]], \"target\": [0, 1]}");
		assertThat(result).hasStatus(400);
		assertThat(body(result).get("detail").asString()).contains("target class 1 is masked", "infinite");
	}

	@Test
	void crossEntropyWhenMethodIsGetReturns405() {
		MvcTestResult result = this.mvc.get().uri("/cross-entropy").exchange();
		assertThat(result).hasStatus(405)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Allow", "POST,OPTIONS");
	}

	@Test
	void crossEntropyWhenContentTypeIsNotJsonReturns415() {
		assertThat(this.mvc.post().uri("/cross-entropy").contentType(MediaType.TEXT_PLAIN).content("{}")).hasStatus(415)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void crossEntropyWhenJsonIsMalformedReturns400() {
		MvcTestResult result = post("{\"logits\": [[1, 2]], \"target\": [0],}");
		assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(body(result).get("type").asString()).isEqualTo("urn:softmax-service:problem:malformed-json");
		assertNoInternals(result);
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/cross-entropy").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private static org.assertj.core.data.Offset<Double> within(double tolerance) {
		return org.assertj.core.data.Offset.offset(tolerance);
	}

}
