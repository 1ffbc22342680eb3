package io.softmaxservice.launch;

/** A start class for the launcher's tests whose {@code main} fails. */
public final class FailingApplication {

	private FailingApplication() {
	}

	public static void main(String[] args) {
		throw new IllegalStateException("failed on purpose: " + String.join(",", args));
	}

}
