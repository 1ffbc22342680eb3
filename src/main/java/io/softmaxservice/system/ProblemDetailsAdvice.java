package io.softmaxservice.system;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.softmaxservice.json.JsonSyntaxException;
import io.softmaxservice.numpy.AcceptedTypes;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure to an RFC 9457 problem detail ({@code application/problem+json})
 * with {@code type}, {@code title}, {@code status}, {@code detail} and, for errors in the
 * body, {@code errors}: a list of {@code {pointer, detail, code}} with an RFC 6901
 * pointer into the request body and a stable reason code. No response carries a stack
 * trace, a class name or Jackson's own wording about its features.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemDetailsAdvice.class);

	/**
	 * Where Jackson's syntax messages stop saying what is wrong and start naming
	 * internals.
	 */
	private static final Pattern JACKSON_INTERNALS = Pattern.compile(
			"\\s*(\\n|[:;]\\s*enable|[:;]\\s*disable|\\(not recognized|:\\s*was expecting|\\(start marker|\\[Source|`).*",
			Pattern.DOTALL);

	/**
	 * The RFC 6901 pointer to the whole request body, for errors no narrower place is
	 * known of.
	 */
	private static final String WHOLE_BODY = "";

	private static final Pattern CHARACTER_CODE = Pattern.compile(" \\(code \\d+\\)");

	/** Where a parser limit's message names the Jackson method the limit comes from. */
	private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(",\\s*from\\s*`[^`]*`");

	private final Duration retryAfter;

	ProblemDetailsAdvice(SoftmaxProperties properties) {
		this.retryAfter = properties.load().retryAfterSeconds();
	}

	@ExceptionHandler(InvalidInputException.class)
	ResponseEntity<Object> handleInvalidInput(InvalidInputException ex) {
		return problem(
				(ex instanceof InputTooLargeException) ? ProblemType.PAYLOAD_TOO_LARGE : ProblemType.INVALID_INPUT,
				ex.detail(), ex.pointer(), ex.code());
	}

	@ExceptionHandler(ServiceOverloadedException.class)
	ResponseEntity<Object> handleOverloaded(ServiceOverloadedException ex) {
		ResponseEntity<Object> response = problem(ProblemType.OVERLOADED, ex.getMessage(), null, null);
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfter().toSeconds()))
			.body(response.getBody());
	}

	/**
	 * A failure of the service itself, or a request that did not fit in the heap left at
	 * that moment: the latter is load (other requests in flight, a heap smaller than the
	 * work budget assumes), answered 503 like any other overload.
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof OutOfMemoryError) {
				log.warn("A request did not fit in the heap; answered 503 (raise -Xmx or lower "
						+ "softmax.load.work-budget)", cause);
				return handleOverloaded(new ServiceOverloadedException(this.retryAfter));
			}
		}
		log.error("Unexpected failure", ex);
		return problem(ProblemType.INTERNAL_ERROR, "The service failed to answer this request; try again later.", null,
				null);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyRejectedException rejected) {
				return bodyRejected(rejected, request);
			}
			if (cause instanceof InvalidInputException invalid) {
				return handleInvalidInput(invalid);
			}
			if (cause instanceof JsonSyntaxException syntax) {
				return problem(ProblemType.MALFORMED_JSON, syntax.detail(), syntax.pointer(), syntax.code());
			}
		}
		if (ex.getCause() instanceof JacksonException jackson) {
			return handleJackson(jackson);
		}
		return problem(ProblemType.MALFORMED_JSON, "The request body is empty or unreadable; send a JSON object.",
				WHOLE_BODY, Codes.MALFORMED_JSON);
	}

	/**
	 * A body refused while it was read. After a 408 the rest of the body is left unread
	 * and the connection closed, so that a slow client does not hold a thread while it is
	 * drained; after a 503 (no share of the work budget for the body as it arrived) too,
	 * so that the service does not read what it has shed.
	 */
	private ResponseEntity<Object> bodyRejected(BodyRejectedException rejected, WebRequest request) {
		ResponseEntity<Object> response = (rejected.type() == ProblemType.OVERLOADED)
				? handleOverloaded(new ServiceOverloadedException(this.retryAfter))
				: problem(rejected.type(), rejected.getMessage(), null, null);
		if (!rejected.abandonsBody()) {
			return response;
		}
		request.setAttribute(TomcatConfiguration.ABANDON_BODY, Boolean.TRUE, WebRequest.SCOPE_REQUEST);
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.CONNECTION, "close")
			.body(response.getBody());
	}

	private ResponseEntity<Object> handleJackson(JacksonException ex) {
		String pointer = pointer(ex);
		if (ex instanceof UnrecognizedPropertyException unknown) {
			String known = unknown.getKnownPropertyIds()
				.stream()
				.map(Object::toString)
				.sorted()
				.collect(Collectors.joining(", "));
			return problem(ProblemType.INVALID_INPUT,
					"Unknown field '" + unknown.getPropertyName() + "'; the fields of this request are: " + known + ".",
					pointer, Codes.UNKNOWN_FIELD);
		}
		if (ex instanceof MismatchedInputException mismatched) {
			if (pointer.isEmpty()) {
				return problem(ProblemType.MALFORMED_JSON,
						"The request body must be a single JSON object with nothing after it.", pointer,
						Codes.MALFORMED_JSON);
			}
			return problem(ProblemType.INVALID_INPUT,
					"Expected " + expected(mismatched.getTargetType()) + " for this field.", pointer, Codes.WRONG_TYPE);
		}
		if (ex instanceof StreamReadException || ex instanceof StreamConstraintsException) {
			return problem(ProblemType.MALFORMED_JSON, syntaxDetail(ex), syntaxPointer(ex),
					(ex instanceof StreamConstraintsException) ? Codes.PARSER_LIMIT : Codes.MALFORMED_JSON);
		}
		return problem(ProblemType.INVALID_INPUT, "The request body does not match the request's schema.",
				pointer.isEmpty() ? null : pointer, Codes.WRONG_TYPE);
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return problem(ProblemType.NOT_FOUND,
				"There is no endpoint at /" + ex.getResourcePath() + "; see /swagger-ui.html for the endpoints.", null,
				null);
	}

	/**
	 * A 405's {@code Allow} names what an {@code OPTIONS} request answers: the endpoint's
	 * methods and {@code OPTIONS}.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Set<HttpMethod> allowed = new LinkedHashSet<>(
				(ex.getSupportedHttpMethods() != null) ? ex.getSupportedHttpMethods() : Set.of());
		allowed.add(HttpMethod.OPTIONS);
		HttpHeaders allow = new HttpHeaders();
		allow.setAllow(allowed);
		return handleExceptionInternal(ex, null, allow, status, request);
	}

	/**
	 * An {@code Accept} header that does not parse, that refuses every type it names, or
	 * that misspells {@code nonfinite} says so (Spring MVC's own sentence names neither
	 * the header's problem nor the fix).
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = acceptProblem(request);
		if (detail != null) {
			ex.getBody().setDetail(detail);
		}
		return super.handleHttpMediaTypeNotAcceptable(ex, headers, status, request);
	}

	/**
	 * Gives every problem the framework itself raises (405, 415, 406, ...) this service's
	 * type and title, as {@code application/problem+json} whatever the request accepts:
	 * an {@code Accept} header that does not parse would otherwise fail the answer too,
	 * and leave a 406 without a body.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			ProblemType type = ProblemType.forStatus(statusCode.value());
			ProblemTags.record(type);
			problem.setType(type.type());
			problem.setTitle(type.title());
			return ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return response;
	}

	private static @Nullable String acceptProblem(WebRequest request) {
		String[] accept = request.getHeaderValues(HttpHeaders.ACCEPT);
		try {
			return AcceptedTypes.problem(MediaType.parseMediaTypes((accept != null) ? List.of(accept) : List.of()));
		}
		catch (InvalidMediaTypeException ex) {
			return "The Accept header is not a list of media types; send one such as application/json, or none.";
		}
	}

	private static ResponseEntity<Object> problem(ProblemType type, String detail, @Nullable String pointer,
			@Nullable String code) {
		ProblemTags.record(type);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
		problem.setType(type.type());
		problem.setTitle(type.title());
		if (pointer != null) {
			problem.setProperty("errors",
					List.of(new Problem.Error(pointer, detail, (code != null) ? code : Codes.MALFORMED_JSON)));
		}
		return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** The RFC 6901 pointer of the path Jackson was at, "" for the whole body. */
	private static String pointer(JacksonException ex) {
		StringBuilder pointer = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			pointer.append('/');
			if (reference.getPropertyName() != null) {
				pointer.append(reference.getPropertyName().replace("~", "~0").replace("/", "~1"));
			}
			else if (reference.getIndex() >= 0) {
				pointer.append(reference.getIndex());
			}
		}
		return pointer.toString();
	}

	private static String syntaxPointer(JacksonException ex) {
		return (ex.processor() instanceof JsonParser parser && parser.streamReadContext() != null)
				? parser.streamReadContext().pathAsPointer().toString() : WHOLE_BODY;
	}

	private static String syntaxDetail(JacksonException ex) {
		String reason = CHARACTER_CODE.matcher(String.valueOf(ex.getOriginalMessage())).replaceAll("");
		reason = CONSTRAINT_SOURCE.matcher(reason).replaceAll("");
		reason = JACKSON_INTERNALS.matcher(reason).replaceFirst("");
		reason = reason.replaceAll("[\\s:;,.]+$", "");
		TokenStreamLocation location = ex.getLocation();
		String where = (location != null && location.getLineNr() > 0)
				? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
		return "The request body is not valid JSON" + where + ": " + reason + ".";
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "a different kind of value";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == Integer.class || type == int.class) {
			return "a whole number";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class) {
			return "a number";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isRecord()) {
			return "a JSON object";
		}
		return "a value of another type";
	}

	/** The reason codes of the errors Jackson reports before a request record exists. */
	private static final class Codes {

		static final String MALFORMED_JSON = "malformed-json";

		static final String PARSER_LIMIT = "parser-limit";

		static final String UNKNOWN_FIELD = "unknown-field";

		static final String WRONG_TYPE = "wrong-type";

	}

}
