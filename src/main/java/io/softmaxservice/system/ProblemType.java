package io.softmaxservice.system;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the service answers with, each with its RFC 9457 {@code type} URI,
 * title and status.
 */
enum ProblemType {

	MALFORMED_JSON(HttpStatus.BAD_REQUEST, "Malformed JSON"),

	INVALID_INPUT(HttpStatus.BAD_REQUEST, "Invalid input"),

	BAD_REQUEST(HttpStatus.BAD_REQUEST, "Bad request"),

	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),

	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),

	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	ORIGIN_NOT_ALLOWED(HttpStatus.FORBIDDEN, "Origin not allowed"),

	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Service overloaded"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private final HttpStatus status;

	private final String title;

	private final URI type;

	ProblemType(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
		this.type = URI.create("urn:softmax-service:problem:" + name().toLowerCase().replace('_', '-'));
	}

	HttpStatus status() {
		return this.status;
	}

	String title() {
		return this.title;
	}

	URI type() {
		return this.type;
	}

	/**
	 * The type for a status the framework chose, e.g. 405 for a wrong method.
	 * @param status the status
	 * @return its problem type
	 */
	static ProblemType forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status.value() == status && type != INVALID_INPUT && type != MALFORMED_JSON) {
				return type;
			}
		}
		return (status >= 500) ? INTERNAL_ERROR : BAD_REQUEST;
	}

}
