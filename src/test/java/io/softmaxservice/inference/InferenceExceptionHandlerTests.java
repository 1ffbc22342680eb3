package io.softmaxservice.inference;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the protocol's errors name the place of a request record's pointer.
 */
class InferenceExceptionHandlerTests {

	static final Set<String> TENSORS = Set.of("logits", "probabilities", "log_probabilities", "grad_output", "target",
			"weight", "mask");

	@ParameterizedTest
	@CsvSource({ "/logits/3/7, 'logits[3, 7]'", "/logits/3, 'logits[3]'", "/target, target", "/axis, parameters.axis",
			"/grad_output/0/0/1, 'grad_output[0, 0, 1]'" })
	void whereNamesElementsAndParameters(String pointer, String where) {
		assertThat(InferenceExceptionHandler.where(pointer)).isEqualTo(where);
	}

	@ParameterizedTest
	@CsvSource({ "''" })
	void whereOfTheWholeRequestIsNull(String pointer) {
		assertThat(InferenceExceptionHandler.where(pointer)).isNull();
	}

}
