package io.softmaxservice.inference;

import java.util.Arrays;
import java.util.Set;

import io.softmaxservice.system.ServiceOverloadedException;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers failures of the protocol's endpoints in the protocol's form, {@code {"error":
 * "..."}}, with the status the service gives them everywhere else: the request's own
 * problems name where they are, as the input's element ({@code logits[3, 7]}) or the
 * parameter ({@code parameters.axis}); the framework's (unreadable body, body too large,
 * wrong content type) take the status and sentence of the service's problem details.
 */
@RestControllerAdvice(assignableTypes = InferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class InferenceExceptionHandler {

	private static final Log log = LogFactory.getLog(InferenceExceptionHandler.class);

	/** The request record fields that are tensors, hence inputs of the protocol. */
	private static final Set<String> TENSORS = Set.of("logits", "probabilities", "log_probabilities", "grad_output",
			"target", "weight", "mask");

	private final ResponseEntityExceptionHandler problems;

	InferenceExceptionHandler(ResponseEntityExceptionHandler problems) {
		this.problems = problems;
	}

	@ExceptionHandler(InvalidInputException.class)
	ResponseEntity<InferenceError> handleInvalidInput(InvalidInputException ex) {
		HttpStatus status = (ex instanceof InputTooLargeException) ? HttpStatus.CONTENT_TOO_LARGE
				: HttpStatus.BAD_REQUEST;
		String where = where(ex.pointer());
		return error(status, (where != null) ? where + ": " + ex.detail() : ex.detail(), null);
	}

	@ExceptionHandler(UnknownModelException.class)
	ResponseEntity<InferenceError> handleUnknownModel(UnknownModelException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage(), null);
	}

	@ExceptionHandler(ServiceOverloadedException.class)
	ResponseEntity<InferenceError> handleOverloaded(ServiceOverloadedException ex) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfter().toSeconds()));
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage(), headers);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<InferenceError> handleNotReadable(HttpMessageNotReadableException ex, WebRequest request) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidInputException invalid) {
				return handleInvalidInput(invalid);
			}
		}
		return handleOther(ex, request);
	}

	/**
	 * Every other failure, as the service's problem details would answer it.
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<InferenceError> handleOther(Exception ex, WebRequest request) {
		try {
			ResponseEntity<Object> problem = this.problems.handleException(ex, request);
			if (problem != null && problem.getBody() instanceof ProblemDetail detail) {
				HttpHeaders headers = new HttpHeaders();
				headers.addAll(problem.getHeaders());
				headers.remove(HttpHeaders.CONTENT_TYPE);
				return error(problem.getStatusCode(), String.valueOf(detail.getDetail()), headers);
			}
		}
		catch (Exception unexpected) {
			log.error("Unexpected failure", ex);
		}
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "The service failed to answer this request; try again later.",
				null);
	}

	/**
	 * Where a request-record pointer points, in the protocol's terms: an input's element
	 * as {@code logits[3, 7]}, a whole input as {@code logits}, a parameter as
	 * {@code parameters.axis}, nothing narrower than the request as null.
	 * @param pointer an RFC 6901 pointer into the request record
	 * @return the place, or null
	 */
	static @Nullable String where(@Nullable String pointer) {
		if (pointer == null || pointer.isEmpty()) {
			return null;
		}
		String[] segments = pointer.substring(1).split("/", -1);
		if (!TENSORS.contains(segments[0])) {
			return "parameters." + segments[0];
		}
		if (segments.length == 1) {
			return segments[0];
		}
		return segments[0] + "[" + String.join(", ", Arrays.copyOfRange(segments, 1, segments.length)) + "]";
	}

	private static ResponseEntity<InferenceError> error(HttpStatusCode status, String detail,
			@Nullable HttpHeaders headers) {
		return ResponseEntity.status(status)
			.headers(headers)
			.contentType(MediaType.APPLICATION_JSON)
			.body(new InferenceError(detail));
	}

	/**
	 * The protocol's error body.
	 *
	 * @param error one sentence: what is wrong, where, and what to send instead
	 */
	record InferenceError(String error) {
	}

}
