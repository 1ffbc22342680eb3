package io.softmaxservice;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The contract's accuracy rule: {@code |got - ref| <= atol + rtol * s}, with rtol 1e-12
 * and atol 1e-300 for float64, rtol 1e-5 and atol 1e-30 for float32. For probabilities s
 * is {@code |ref|} element by element; for every other output it is the largest
 * {@code |ref|} of the output and at least 1. Infinities must match exactly.
 */
public final class ContractTolerance {

	private ContractTolerance() {
	}

	/**
	 * Asserts that an exchange answered a golden case: 200, JSON, and the golden response
	 * within the contract's tolerance.
	 * @param result the exchange
	 * @param golden the case
	 */
	public static void assertAnswers(MvcTestResult result, GoldenCases.GoldenCase golden) {
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertResponseMatches(ProblemAssertions.body(result), golden.response(), golden.dtype());
	}

	/**
	 * Asserts that every field of the expected response is in the actual one, with the
	 * same shape and values within the contract's tolerance.
	 * @param actual the response body
	 * @param expected the golden response body
	 * @param dtype "float64" or "float32"
	 */
	public static void assertResponseMatches(JsonNode actual, JsonNode expected, String dtype) {
		assertThat(actual.propertyNames()).containsExactlyInAnyOrderElementsOf(expected.propertyNames());
		for (String field : expected.propertyNames()) {
			assertTensorMatches(field, actual.get(field), expected.get(field), dtype, field.equals("probabilities"));
		}
	}

	/**
	 * Asserts that a tensor matches its reference.
	 * @param field the name of the output, for messages
	 * @param actual the tensor answered
	 * @param expected the reference
	 * @param dtype "float64" or "float32"
	 * @param elementwise whether s is {@code |ref|} (probabilities) rather than the
	 * largest {@code |ref|}
	 */
	public static void assertTensorMatches(String field, JsonNode actual, JsonNode expected, String dtype,
			boolean elementwise) {
		assertThat(shape(actual)).as("shape of %s", field).isEqualTo(shape(expected));
		List<Double> got = flatten(actual, new ArrayList<>());
		List<Double> ref = flatten(expected, new ArrayList<>());
		double rtol = dtype.equals("float32") ? 1e-5 : 1e-12;
		double atol = dtype.equals("float32") ? 1e-30 : 1e-300;
		double scale = 1;
		for (double r : ref) {
			if (Double.isFinite(r)) {
				scale = Math.max(scale, Math.abs(r));
			}
		}
		for (int i = 0; i < ref.size(); i++) {
			double g = got.get(i);
			double r = ref.get(i);
			if (!Double.isFinite(r)) {
				assertThat(g).as("%s[%d]", field, i).isEqualTo(r);
				continue;
			}
			double s = elementwise ? Math.abs(r) : scale;
			if (!(Math.abs(g - r) <= atol + rtol * s)) {
				fail("%s[%d] = %s, expected %s within %s", field, i, g, r, atol + rtol * s);
			}
		}
	}

	private static List<Integer> shape(JsonNode node) {
		List<Integer> shape = new ArrayList<>();
		for (JsonNode n = node; n.isArray(); n = n.get(0)) {
			shape.add(n.size());
		}
		return shape;
	}

	private static List<Double> flatten(JsonNode node, List<Double> into) {
		if (node.isArray()) {
			node.forEach((child) -> flatten(child, into));
		}
		else {
			assertThat(node.isNumber()).as("%s is a number", node).isTrue();
			into.add(node.asDouble());
		}
		return into;
	}

}
