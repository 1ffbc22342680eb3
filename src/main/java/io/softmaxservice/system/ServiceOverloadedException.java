package io.softmaxservice.system;

import java.time.Duration;

/**
 * A request shed because too many are in flight: answered 503 with {@code Retry-After}.
 */
public class ServiceOverloadedException extends RuntimeException {

	private final Duration retryAfter;

	ServiceOverloadedException(Duration retryAfter) {
		super("The service is busy with other requests; retry after " + retryAfter.toSeconds() + " s.", null, false,
				false);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
