package io.softmaxservice.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static io.softmaxservice.ProblemAssertions.assertProblem;

/**
 * No scalar is coerced: every scalar field of every endpoint, given a value of another
 * JSON type (a blank or empty string, a string holding a valid value, a number for a
 * boolean, a boolean for a number), is a 400 at that field with its reason code.
 */
@SpringBootTest
@AutoConfigureMockMvc
class StrictScalarsTests {

	private static final Map<String, String> VALID_BODIES = Map.of("/softmax", "\"logits\": [1, 2]", "/softmax/grad",
			"\"logits\": [1, 2]", "/cross-entropy", "\"logits\": [[1, 2]], \"target\": [0]");

	private static final List<String> BOOLEANS = List.of("\"\\t\"", "\"\"", "\" \"", "\"true\"", "\"false\"", "1", "0",
			"1.0", "[true]", "{}");

	private static final List<String> NUMBERS = List.of("\"\\t\"", "\"\"", "\" \"", "\"1\"", "\"0.5\"", "true", "false",
			"[1]", "{}");

	private static final List<String> STRINGS = List.of("\"\\t\"", "\"\"", "\" \"", "1", "0", "true", "[\"x\"]", "{}");

	@Autowired
	private MockMvcTester mvc;

	static List<Arguments> coercions() {
		List<Arguments> cases = new ArrayList<>();
		for (String endpoint : List.of("/softmax", "/softmax/grad")) {
			add(cases, endpoint, "axis", NUMBERS);
			add(cases, endpoint, "temperature", NUMBERS);
			add(cases, endpoint, "log", BOOLEANS);
			add(cases, endpoint, "dtype", STRINGS);
		}
		add(cases, "/softmax/grad", "mode", STRINGS);
		add(cases, "/cross-entropy", "axis", NUMBERS);
		add(cases, "/cross-entropy", "ignore_index", NUMBERS);
		add(cases, "/cross-entropy", "reduction", STRINGS);
		add(cases, "/cross-entropy", "label_smoothing", NUMBERS);
		add(cases, "/cross-entropy", "include_grad", BOOLEANS);
		add(cases, "/cross-entropy", "dtype", STRINGS);
		return cases;
	}

	private static void add(List<Arguments> cases, String endpoint, String field, List<String> values) {
		values.forEach((value) -> cases.add(Arguments.of(endpoint, field, value)));
	}

	@ParameterizedTest(name = "{0} {1}: {2}")
	@MethodSource("coercions")
	void scalarOfAnotherTypeReturns400AtTheField(String endpoint, String field, String value) {
		String body = "{" + VALID_BODIES.get(endpoint) + ", \"" + field + "\": " + value + "}";
		MvcTestResult result = this.mvc.post()
			.uri(endpoint)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
		// A string for a choice field is a value that is none of its choices.
		boolean choice = field.equals("dtype") || field.equals("mode") || field.equals("reduction");
		assertProblem(result, 400, "/" + field, (choice && value.startsWith("\"")) ? "unknown-value" : "wrong-type");
	}

}
