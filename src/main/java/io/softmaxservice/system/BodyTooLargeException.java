package io.softmaxservice.system;

import java.io.IOException;

/**
 * A request body over {@code softmax.limits.max-body-size}, raised while it is read.
 */
class BodyTooLargeException extends IOException {

	BodyTooLargeException(String message) {
		super(message);
	}

}
