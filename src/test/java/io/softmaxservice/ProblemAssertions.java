package io.softmaxservice;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on problem-details responses that every endpoint's HTTP tests share.
 */
public final class ProblemAssertions {

	private ProblemAssertions() {
	}

	/**
	 * The response body as JSON, read as the service writes it.
	 * @param result the exchange
	 * @return the body
	 */
	public static JsonNode body(MvcTestResult result) {
		return GoldenCases.JSON.readTree(result.getResponse().getContentAsByteArray());
	}

	/**
	 * Asserts a 400 or 413 problem detail for an invalid value, with one error at the
	 * given pointer and no internals.
	 * @param result the exchange
	 * @param status 400 or 413
	 * @param pointer the RFC 6901 pointer expected
	 * @param code the reason code expected
	 */
	public static void assertProblem(MvcTestResult result, int status, String pointer, String code) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = body(result);
		assertThat(problem.get("type").asString()).isEqualTo((status == 413)
				? "urn:softmax-service:problem:payload-too-large" : "urn:softmax-service:problem:invalid-input");
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isEqualTo((status == 413) ? "Payload too large" : "Invalid input");
		assertThat(problem.get("detail").asString()).isNotBlank().endsWith(".");
		assertThat(problem.get("errors")).hasSize(1);
		assertThat(problem.get("errors").get(0).get("pointer").asString()).isEqualTo(pointer);
		assertThat(problem.get("errors").get(0).get("detail").asString()).isEqualTo(problem.get("detail").asString());
		assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo(code);
		assertNoInternals(result);
	}

	/**
	 * Asserts that the body names no exception, class, package, Jackson feature or stack
	 * frame.
	 * @param result the exchange
	 */
	public static void assertNoInternals(MvcTestResult result) {
		String body = new String(result.getResponse().getContentAsByteArray());
		assertThat(body).doesNotContain("Exception", "tools.jackson", "io.softmaxservice", "java.", "Feature", "`",
				"Source:", "\tat ");
	}

}
