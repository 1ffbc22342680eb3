package io.softmaxservice.gradient;

import java.util.ArrayList;
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

import static io.softmaxservice.ProblemAssertions.assertProblem;
import static io.softmaxservice.ProblemAssertions.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * HTTP mapping of {@code POST /softmax/grad}: golden vectors from PyTorch autograd, the
 * seed example, why the diagonal-only backward is wrong, and every error class with its
 * status and pointer.
 */
@WebMvcTest(SoftmaxGradController.class)
@Import({ SoftmaxGradValidator.class, SoftmaxGradKernel.class, SoftmaxKernel.class, TensorElementsMetrics.class })
class SoftmaxGradControllerTests {

	/** The issue's seed example: x = [1..9], g = [11..19]. */
	static final String SEED = "{\"logits\": [1, 2, 3, 4, 5, 6, 7, 8, 9], "
			+ "\"grad_output\": [11, 12, 13, 14, 15, 16, 17, 18, 19]}";

	@Autowired
	private MockMvcTester mvc;

	static List<GoldenCase> golden() {
		return GoldenCases.load("softmax_grad.json");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("golden")
	void gradMatchesPyTorchAutograd(GoldenCase golden) {
		ContractTolerance.assertAnswers(post(golden.requestJson()), golden);
	}

	@Test
	void gradCoversEveryModePointLogAxisAndDtype() {
		List<String> combinations = new ArrayList<>();
		for (GoldenCase golden : golden()) {
			JsonNode request = golden.request();
			String point = request.has("logits") ? "logits"
					: request.has("probabilities") ? "probabilities" : "log_probabilities";
			combinations.add(String.join(",", request.has("mode") ? request.get("mode").asString() : "vjp", point,
					Boolean.toString(request.has("log") && request.get("log").asBoolean()), golden.dtype(),
					request.has("axis") && request.get("axis").asInt() == 0 ? "axis0" : "axis"));
		}
		for (String mode : List.of("vjp", "jacobian")) {
			for (String point : List.of("logits", "probabilities", "log_probabilities")) {
				for (String log : List.of("false", "true")) {
					for (String dtype : List.of("float64", "float32")) {
						for (String axis : List.of("axis0", "axis")) {
							assertThat(combinations).contains(String.join(",", mode, point, log, dtype, axis));
						}
					}
				}
			}
		}
	}

	@Test
	void gradOfSeedExampleMatchesIssue() {
		double[] expected = { -0.00157344, -0.00370057, -0.00849213, -0.01882428, -0.03959057, -0.07614301, -0.12141937,
				-0.09747922, 0.36722258 };
		MvcTestResult result = post(SEED);
		assertThat(result).hasStatusOk();
		JsonNode grad = body(result).get("grad_logits");
		assertThat(grad).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(grad.get(i).asDouble()).as("grad_logits[%d]", i).isCloseTo(expected[i], within(1e-8));
		}
	}

	@Test
	void gradIsNotTheDiagonalOnlyBackward() {
		// The common mistake keeps only d y_i / d x_i = y_i (1 - y_i): g * y * (1 - y).
		double[] x = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
		double[] g = { 11, 12, 13, 14, 15, 16, 17, 18, 19 };
		double max = 9;
		double sum = 0;
		for (double v : x) {
			sum += Math.exp(v - max);
		}
		JsonNode grad = body(post(SEED)).get("grad_logits");
		double total = 0;
		double largestDifference = 0;
		for (int i = 0; i < x.length; i++) {
			double y = Math.exp(x[i] - max) / sum;
			double diagonalOnly = g[i] * y * (1 - y);
			largestDifference = Math.max(largestDifference, Math.abs(grad.get(i).asDouble() - diagonalOnly));
			total += grad.get(i).asDouble();
		}
		// The diagonal-only answer is all positive, e.g. 19 * 0.63 * 0.37 = 4.4 for the
		// last class, where the true gradient is 0.367; and softmax is shift-invariant,
		// so
		// the true gradient sums to 0 along the axis.
		assertThat(largestDifference).isGreaterThan(1.0);
		assertThat(total).isCloseTo(0.0, within(1e-12));
	}

	@Test
	void gradFromHugeGapsIsFinite() {
		assertThat(post("{\"logits\": [[-1000, 0, 1000]], \"grad_output\": [[1, 2, 3]]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[[0.0,0.0,0.0]]}");
		assertThat(post("{\"logits\": [[-1000, 0, 1000]], \"grad_output\": [[1, 2, 3]], \"log\": true}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[[1.0,2.0,-3.0]]}");
	}

	@Test
	void gradJacobianHasPointShapeWithoutAxisThenClasses() {
		MvcTestResult result = post("{\"logits\": [[[1, 2], [3, 4], [5, 6]]], \"axis\": 1, \"mode\": \"jacobian\"}");
		assertThat(result).hasStatusOk();
		JsonNode jacobian = body(result).get("jacobian");
		assertThat(body(result).propertyNames()).containsExactly("jacobian");
		// Both columns (j = 0, 1) are softmax([0, 2, 4]) up to a shift, so both have the
		// Jacobian diag(p) - p p^T (PyTorch, float64).
		double[][] expected = { { 0.015624184980676404, -0.00186244850391071, -0.013761736476765695 },
				{ -0.00186244850391071, 0.10354869134943268, -0.10168624284552198 },
				{ -0.013761736476765695, -0.10168624284552198, 0.11544797932228756 } };
		assertThat(jacobian).hasSize(1);
		assertThat(jacobian.get(0)).hasSize(2);
		for (int j = 0; j < 2; j++) {
			JsonNode matrix = jacobian.get(0).get(j);
			assertThat(matrix).hasSize(3);
			for (int r = 0; r < 3; r++) {
				assertThat(matrix.get(r)).hasSize(3);
				for (int c = 0; c < 3; c++) {
					assertThat(matrix.get(r).get(c).asDouble()).as("jacobian[0][%d][%d][%d]", j, r, c)
						.isCloseTo(expected[r][c], within(1e-12));
				}
			}
		}
	}

	@Test
	void gradJacobianOfTwoEqualLogitsIsExact() {
		assertThat(post("{\"logits\": [0, 0], \"mode\": \"jacobian\"}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"jacobian\":[[0.25,-0.25],[-0.25,0.25]]}");
		assertThat(post("{\"probabilities\": [0.5, 0.5], \"mode\": \"jacobian\", \"log\": true, \"temperature\": 2}"))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"jacobian\":[[0.25,-0.25],[-0.25,0.25]]}");
	}

	@Test
	void gradWritesShortestFloat32() {
		assertThat(post("{\"logits\": [0.1, 0.2, 0.3], \"grad_output\": [1, 0, 0], \"dtype\": \"float32\"}"))
			.hasStatusOk()
			.bodyText()
			.isEqualTo("{\"grad_logits\":[0.21024346,-0.099870026,-0.110373445]}");
	}

	@Test
	void gradTreatsNullAsDefault() {
		assertThat(post("{\"logits\": [0, 0], \"probabilities\": null, \"log_probabilities\": null, "
				+ "\"grad_output\": [1, 0], \"mode\": null, \"axis\": null, \"temperature\": null, \"log\": null, "
				+ "\"dtype\": null}"))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[0.25,-0.25]}");
	}

	@Test
	void gradAcceptsProbabilitiesAtTheSumTolerance() {
		assertThat(post("{\"probabilities\": [0.5, 0.5000009], \"grad_output\": [1, 0]}")).hasStatusOk();
		assertThat(post("{\"probabilities\": [0.5, 0.50009], \"grad_output\": [1, 0], \"dtype\": \"float32\"}"))
			.hasStatusOk();
		assertThat(post("{\"log_probabilities\": [0, -Infinity], \"grad_output\": [1, 0]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[0.0,0.0]}");
	}

	@Test
	void gradWithLargeGradOutputDoesNotOverflow() {
		assertThat(post("{\"logits\": [0, 0], \"grad_output\": [1e308, 1e308], \"log\": true}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[0.0,0.0]}");
		assertThat(post("{\"logits\": [0, 0], \"grad_output\": [1.5e308, -1.5e308]}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"grad_logits\":[7.5E307,-7.5E307]}");
	}

	@ParameterizedTest(name = "{0} -> {1} at {2}: {3}")
	@CsvSource(delimiter = '|',
			textBlock = """
					{}                                                                             | 400 | /logits | required
					{"grad_output": [1, 2]}                                                        | 400 | /logits | required
					{"logits": null, "grad_output": [1, 2]}                                        | 400 | /logits | required
					{"logits": [1, 2], "probabilities": [0.5, 0.5], "grad_output": [1, 2]}         | 400 | /probabilities | conflict
					{"probabilities": [0.5, 0.5], "log_probabilities": [0, 0], "mode": "jacobian"} | 400 | /log_probabilities | conflict
					{"logits": [1], "probabilities": [1], "log_probabilities": [0]}                | 400 | /probabilities | conflict
					{"logits": 3, "grad_output": 3}                                                | 400 | /logits | rank
					{"probabilities": 1, "mode": "jacobian"}                                       | 400 | /probabilities | rank
					{"logits": [[1, 2], [3]], "grad_output": [[1, 2], [3, 4]]}                     | 400 | /logits/1 | ragged
					{"logits": [1, Infinity], "grad_output": [1, 2]}                               | 400 | /logits/1 | not-finite
					{"logits": [1, 1e39], "grad_output": [1, 2], "dtype": "float32"}               | 400 | /logits/1 | not-finite
					{"logits": [[0, 1], [-Infinity, -Infinity]], "mode": "jacobian"}               | 400 | /logits/1 | masked-slice
					{"logits": [[0, -Infinity], [1, -Infinity]], "mode": "jacobian", "axis": 0}    | 400 | /logits/0/1 | masked-slice
					{"probabilities": [0.5, NaN], "grad_output": [1, 2]}                           | 400 | /probabilities/1 | nan
					{"probabilities": [[0.5, 0.5], [-0.25, 1.25]], "grad_output": [[1, 2], [3, 4]]} | 400 | /probabilities/1/0 | out-of-range
					{"probabilities": [0.5, 1.5], "mode": "jacobian"}                              | 400 | /probabilities/1 | out-of-range
					{"probabilities": [0.5, Infinity], "mode": "jacobian"}                         | 400 | /probabilities/1 | out-of-range
					{"probabilities": [[0.5, 0.5], [0.5, 0.6]], "mode": "jacobian"}                | 400 | /probabilities/1 | not-normalized
					{"probabilities": [[0.5, 0.5], [0.5, 0.4]], "mode": "jacobian", "axis": 0}     | 400 | /probabilities/0/1 | not-normalized
					{"probabilities": [0.5, 0.500002], "mode": "jacobian"}                         | 400 | /probabilities | not-normalized
					{"probabilities": [0.5, 0.5002], "mode": "jacobian", "dtype": "float32"}       | 400 | /probabilities | not-normalized
					{"probabilities": [0, 0], "mode": "jacobian"}                                  | 400 | /probabilities | not-normalized
					{"log_probabilities": [0.1, -3], "mode": "jacobian"}                           | 400 | /log_probabilities/0 | out-of-range
					{"log_probabilities": [[0, -Infinity], [-1, Infinity]], "mode": "jacobian"}    | 400 | /log_probabilities/1/1 | out-of-range
					{"log_probabilities": [-1, -1], "mode": "jacobian"}                            | 400 | /log_probabilities | not-normalized
					{"log_probabilities": [-Infinity, -Infinity], "mode": "jacobian"}              | 400 | /log_probabilities | not-normalized
					{"log_probabilities": [0, NaN], "mode": "jacobian"}                            | 400 | /log_probabilities/1 | nan
					{"logits": [1, 2]}                                                             | 400 | /grad_output | required
					{"logits": [1, 2], "mode": "vjp"}                                              | 400 | /grad_output | required
					{"logits": [1, 2], "grad_output": [1, 2], "mode": "jacobian"}                  | 400 | /grad_output | not-allowed
					{"logits": [1, 2], "grad_output": [[1, 2]]}                                    | 400 | /grad_output | shape-mismatch
					{"logits": [1, 2], "grad_output": 1}                                           | 400 | /grad_output | shape-mismatch
					{"logits": [1, 2], "grad_output": [1, 2, 3]}                                   | 400 | /grad_output | shape-mismatch
					{"logits": [[1, 2, 3], [4, 5, 6]], "grad_output": [[1, 2, 3, 4], [1, 2, 3, 4]]} | 400 | /grad_output/0 | shape-mismatch
					{"logits": [[1, 2, 3], [4, 5, 6]], "grad_output": [[1, 2, 3]]}                 | 400 | /grad_output | shape-mismatch
					{"logits": [[[1, 2, 3], [4, 5, 6]]], "grad_output": [[[1, 2], [4, 5]]]}        | 400 | /grad_output/0/0 | shape-mismatch
					{"logits": [[1, 2], [3, 4]], "grad_output": [[1, 2], [3]]}                     | 400 | /grad_output/1 | ragged
					{"logits": [1, 2], "grad_output": [1, Infinity]}                               | 400 | /grad_output/1 | not-finite
					{"logits": [1, 2], "grad_output": [-Infinity, 1]}                              | 400 | /grad_output/0 | not-finite
					{"logits": [1, 2], "grad_output": [1, NaN]}                                    | 400 | /grad_output/1 | nan
					{"logits": [1, 2], "grad_output": [1, 1e39], "dtype": "float32"}               | 400 | /grad_output/1 | not-finite
					{"logits": [1, 2], "grad_output": [1, "2"]}                                    | 400 | /grad_output/1 | wrong-type
					{"logits": [0, 0], "grad_output": [1e308, -1e308], "temperature": 0.1}         | 400 | /grad_output | overflow
					{"logits": [0, 0], "grad_output": [3e38, -3e38], "temperature": 0.25, "dtype": "float32"} | 400 | /grad_output | overflow
					{"logits": [0, 0], "mode": "jacobian", "temperature": 1e-320}                  | 400 | /temperature | overflow
					{"logits": [0, 0], "mode": "jacobian", "temperature": 1e-40, "dtype": "float32"} | 400 | /temperature | overflow
					{"logits": [1, 2], "grad_output": [1, 2], "mode": "hessian"}                   | 400 | /mode | unknown-value
					{"logits": [1, 2], "grad_output": [1, 2], "mode": "VJP"}                       | 400 | /mode | unknown-value
					{"logits": [1, 2], "grad_output": [1, 2], "mode": 0}                           | 400 | /mode | wrong-type
					{"logits": [1, 2], "grad_output": [1, 2], "axis": 1}                           | 400 | /axis | out-of-range
					{"logits": [1, 2], "grad_output": [1, 2], "axis": -2}                          | 400 | /axis | out-of-range
					{"logits": [1, 2], "grad_output": [1, 2], "axis": 0.5}                         | 400 | /axis | not-whole
					{"logits": [1, 2], "grad_output": [1, 2], "temperature": 0}                    | 400 | /temperature | out-of-range
					{"logits": [1, 2], "grad_output": [1, 2], "temperature": Infinity}             | 400 | /temperature | out-of-range
					{"logits": [1, 2], "grad_output": [1, 2], "log": "true"}                       | 400 | /log | wrong-type
					{"logits": [1, 2], "grad_output": [1, 2], "dtype": "float16"}                  | 400 | /dtype | unknown-value
					{"logits": [1, 2], "grad_outputs": [1, 2]}                                     | 400 | /grad_outputs | unknown-field
					{"logits": [1, 2], "grad_output": [1, 2], "mask": [true]}                      | 400 | /mask | shape-mismatch
					{"probabilities": [0.5, 0.5], "mode": "jacobian", "mask": [[true, true]]}      | 400 | /mask | shape-mismatch
					{"logits": [1, 2], "grad_output": [1, 2], "mask": [1, 0]}                      | 400 | /mask/0 | wrong-type
					{"logits": [1, 2], "grad_output": [1, 2], "mask": [false, false]}              | 400 | /logits | masked-slice
					{"probabilities": [0.5, 0.5], "mode": "jacobian", "mask": [true, false]}       | 400 | /probabilities | not-normalized
					{"log_probabilities": [0, -1], "mode": "jacobian", "mask": [false, true]}      | 400 | /log_probabilities | not-normalized
					""")
	void gradWhenInputIsInvalidReturnsProblemWithPointer(String body, int status, String pointer, String code) {
		MvcTestResult result = post(body);
		assertProblem(result, status, pointer, code);
	}

	@Test
	void gradWithMaskAnswersAsMinusInfinityLogitsDo() throws Exception {
		String masked = post("{\"logits\": [[1, 2, 3]], \"grad_output\": [[1, 2, 3]], \"mask\": [[true, false, true]]}")
			.getResponse()
			.getContentAsString();
		String minusInfinity = post("{\"logits\": [[1, -Infinity, 3]], \"grad_output\": [[1, 2, 3]]}").getResponse()
			.getContentAsString();
		assertThat(masked).isEqualTo(minusInfinity).contains("grad_logits");
	}

	@Test
	void gradWithMaskReadsAMaskedProbabilityAsZero() throws Exception {
		String masked = post(
				"{\"probabilities\": [0.25, 0.75, 0.5], \"mode\": \"jacobian\", \"mask\": [true, true, false]}")
			.getResponse()
			.getContentAsString();
		String zero = post("{\"probabilities\": [0.25, 0.75, 0], \"mode\": \"jacobian\"}").getResponse()
			.getContentAsString();
		assertThat(masked).isEqualTo(zero).contains("jacobian");
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/softmax/grad").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
