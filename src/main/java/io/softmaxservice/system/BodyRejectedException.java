package io.softmaxservice.system;

import java.io.IOException;

/**
 * A request body refused while it is read: too large (413), too slow (408), not UTF-8
 * (415) or arriving while the work budget has no room for it (503). It is an
 * {@link IOException} so that it leaves any message converter as the cause of its read
 * failure, whatever the wire format; {@link ProblemDetailsAdvice} finds it there.
 */
class BodyRejectedException extends IOException {

	private final ProblemType type;

	BodyRejectedException(ProblemType type, String message) {
		super(message, null);
		this.type = type;
	}

	ProblemType type() {
		return this.type;
	}

	/**
	 * Whether the rest of the body should be left unread and the connection closed: a
	 * client too slow to send it would hold a thread while it is drained, and a body the
	 * service sheds is not worth reading.
	 * @return whether to close the connection
	 */
	boolean abandonsBody() {
		return this.type == ProblemType.REQUEST_TIMEOUT || this.type == ProblemType.OVERLOADED;
	}

}
