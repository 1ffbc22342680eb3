package io.softmaxservice.system;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the service answers with, each with its RFC 9457 {@code type} URI,
 * title and status. Type URIs are built with {@link Locale#ROOT}, so that they are the
 * same under every default locale (a Turkish one lowercases {@code I} to a dotless
 * {@code ı}).
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

	REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT, "Request timeout"),

	URI_TOO_LONG(HttpStatus.URI_TOO_LONG, "URI too long"),

	HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large"),

	NOT_IMPLEMENTED(HttpStatus.NOT_IMPLEMENTED, "Not implemented"),

	HTTP_VERSION_NOT_SUPPORTED(HttpStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version not supported"),

	OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Service overloaded"),

	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private final HttpStatus status;

	private final String title;

	private final String slug;

	private final URI type;

	ProblemType(HttpStatus status, String title) {
		this.status = status;
		this.title = title;
		this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
		this.type = URI.create("urn:softmax-service:problem:" + this.slug);
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
	 * The last part of the type, e.g. {@code invalid-input}: the tag of metrics.
	 * @return the slug
	 */
	String slug() {
		return this.slug;
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
