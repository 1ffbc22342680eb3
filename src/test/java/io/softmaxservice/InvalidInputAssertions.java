package io.softmaxservice;

import io.softmaxservice.tensor.InvalidInputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Assertions on the {@link InvalidInputException} a validator fails with.
 */
public final class InvalidInputAssertions {

	private InvalidInputAssertions() {
	}

	/**
	 * Asserts that a call fails with an {@link InvalidInputException} at the given
	 * pointer with the given code and a detail that is one sentence.
	 * @param call the call
	 * @param pointer the pointer expected
	 * @param code the reason code expected
	 * @return the exception, for assertions on its detail
	 */
	public static InvalidInputException assertInvalid(ThrowingCallable call, String pointer, String code) {
		InvalidInputException thrown = catchThrowableOfType(InvalidInputException.class, call);
		assertThat(thrown).as("InvalidInputException").isNotNull();
		assertThat(thrown.pointer()).as("pointer").isEqualTo(pointer);
		assertThat(thrown.code()).as("code").isEqualTo(code);
		assertThat(thrown.detail()).as("detail").endsWith(".");
		return thrown;
	}

}
