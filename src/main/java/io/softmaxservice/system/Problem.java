package io.softmaxservice.system;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error body, for the OpenAPI document: an RFC 9457 problem detail.
 * The service writes these with Spring's {@code ProblemDetail}, whose {@code errors}
 * property holds {@link Error}s.
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of that kind
 * @param status the HTTP status
 * @param detail one sentence that says what to fix
 * @param instance the path of the request
 * @param errors for errors in the body, where they are
 */
@Schema(name = "Problem", description = "An RFC 9457 problem detail, sent as application/problem+json.")
record Problem(@Schema(example = "urn:softmax-service:problem:invalid-input") String type,
		@Schema(example = "Invalid input") String title, @Schema(example = "400") int status,
		@Schema(example = "This array has 2 elements but the first array at its depth has 3; a tensor must be rectangular.") String detail,
		@Schema(example = "/softmax") String instance, List<Error> errors) {

	/**
	 * One error in the request body.
	 *
	 * @param pointer an RFC 6901 JSON Pointer to the deepest offending element
	 * @param detail what is wrong there
	 * @param code the rule broken: a stable kebab-case reason for programs to act on
	 */
	@Schema(name = "ProblemError")
	record Error(@Schema(example = "/logits/1") String pointer, @Schema(
			example = "This array has 2 elements but the first array at its depth has 3; a tensor must be rectangular.") String detail,
			@Schema(description = "The rule broken, stable across releases: ragged, empty, rank, wrong-type, nan, "
					+ "non-standard-number, not-whole, out-of-range, not-finite, masked-slice, required, conflict, "
					+ "not-allowed, shape-mismatch, not-normalized, masked-target, mean-undefined, overflow, "
					+ "unknown-value, unknown-field, malformed-json, parser-limit, too-large.",
					example = "ragged") String code) {
	}

}
