package io.softmaxservice.system;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The problem-details responses of every operation, each status with its own example: the
 * {@code type}, {@code title} and {@code status} the service really sends for it and the
 * operation's own path as {@code instance}.
 */
final class ProblemResponses {

	private static final String PROBLEM_JSON = "application/problem+json";

	private static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

	/** A 400 for each endpoint, with the pointer, detail and code the service gives. */
	private static final Map<String, List<String>> INVALID_INPUT = Map.of("/softmax",
			List.of("/logits/1",
					"This array has 2 elements but the first array at its depth has 3; a tensor must be rectangular.",
					"ragged"),
			"/softmax/grad", List.of("/grad_output", "The field 'grad_output' is required.", "required"),
			"/cross-entropy",
			List.of("/target/0",
					"The class index 3 is out of range; use 0 to 2, or ignore_index (-100) to leave this target out.",
					"out-of-range"));

	private ProblemResponses() {
	}

	/**
	 * Adds the problem responses the operation does not declare itself, and their body to
	 * those it declares without one.
	 * @param path the operation's path, the examples' {@code instance}
	 * @param operation the operation
	 */
	static void addTo(String path, Operation operation) {
		List<String> invalid = INVALID_INPUT.getOrDefault(path,
				List.of("/axis", "The axis 2 is out of range for a tensor of rank 2; use -2 to 1.", "out-of-range"));
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		responses.put("400",
				response(
						"Malformed JSON, an unknown field, a wrong type, an invalid value or a shape mismatch; "
								+ "`errors` points at the offending element and names the rule broken.",
						example(ProblemType.INVALID_INPUT, path, invalid.get(1), invalid.get(0), invalid.get(2)),
						example(ProblemType.MALFORMED_JSON, path,
								"The request body is not valid JSON at line 1, column 18: "
										+ "Unexpected end-of-input within/between Array entries.",
								"/logits/2", "malformed-json")));
		responses.put("406", response("The Accept header excludes every type this endpoint can answer.",
				example(ProblemType.NOT_ACCEPTABLE, path, "Acceptable representations: [application/json].")));
		responses.put("408", response(
				"The body did not arrive within the configured deadline or minimum rate (see /actuator/info); "
						+ "the connection is closed.",
				example(ProblemType.REQUEST_TIMEOUT, path, "The request body did not arrive in time (65536 bytes in "
						+ "10012 ms; a body gets 10000 ms, or longer at 65536 bytes per second); send it faster.")));
		responses.put("413",
				response("The body, a tensor or the result is larger than the configured limits (see /actuator/info).",
						example(ProblemType.PAYLOAD_TOO_LARGE, path,
								"The tensor has more than 4194304 elements, the limit; send a smaller tensor.",
								"/logits", "too-large")));
		responses.put("415", response(
				"The body's Content-Type is not one this endpoint reads, or the body is compressed "
						+ "(Content-Encoding) or not UTF-8.",
				example(ProblemType.UNSUPPORTED_MEDIA_TYPE, path, "Content-Type 'text/plain' is not supported.")));
		responses.put("500", response("The service failed: a bug, never caused by what a client sent.", example(
				ProblemType.INTERNAL_ERROR, path, "The service failed to answer this request; try again later.")));
		ApiResponse overloaded = response(
				"Too many requests are being computed; retry after the number of seconds in Retry-After.",
				example(ProblemType.OVERLOADED, path,
						"The service is busy with other requests; retry after the time in the Retry-After header."));
		overloaded.addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying.")
			.schema(new IntegerSchema().minimum(BigDecimal.ONE)));
		responses.put("503", overloaded);
		responses.forEach((status, response) -> {
			ApiResponse declared = operation.getResponses().putIfAbsent(status, response);
			if (declared != null && declared.getContent() == null) {
				// Declared elsewhere with a description only (e.g. the NumPy media types'
				// 406): give it the problem body and example.
				declared.setContent(response.getContent());
				if (declared.getHeaders() == null) {
					declared.setHeaders(response.getHeaders());
				}
			}
		});
	}

	@SafeVarargs
	private static ApiResponse response(String description, Map.Entry<String, Example>... examples) {
		MediaType media = new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA));
		for (Map.Entry<String, Example> example : examples) {
			media.addExamples(example.getKey(), example.getValue());
		}
		return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON, media));
	}

	private static Map.Entry<String, Example> example(ProblemType type, String path, String detail) {
		return named(type, problem(type, path, detail));
	}

	private static Map.Entry<String, Example> example(ProblemType type, String path, String detail, String pointer,
			String code) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("pointer", pointer);
		error.put("detail", detail);
		error.put("code", code);
		Map<String, Object> problem = problem(type, path, detail);
		problem.put("errors", List.of(error));
		return named(type, problem);
	}

	private static Map.Entry<String, Example> named(ProblemType type, Map<String, Object> problem) {
		String name = type.type().toString().substring(type.type().toString().lastIndexOf(':') + 1);
		return Map.entry(name, new Example().summary(type.title()).value(problem));
	}

	private static Map<String, Object> problem(ProblemType type, String path, String detail) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", type.type().toString());
		problem.put("title", type.title());
		problem.put("status", type.status().value());
		problem.put("detail", detail);
		problem.put("instance", path);
		return problem;
	}

}
