package io.softmaxservice.tensor;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Finds the {@link InvalidInputException} a read fails with, however Jackson wraps it.
 */
final class InvalidInputs {

	private InvalidInputs() {
	}

	static InvalidInputException thrownBy(ThrowingCallable call) {
		Throwable thrown = catchThrowable(call);
		Throwable cause = thrown;
		while (cause != null && !(cause instanceof InvalidInputException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("InvalidInputException in %s", thrown).isInstanceOf(InvalidInputException.class);
		return (InvalidInputException) cause;
	}

}
