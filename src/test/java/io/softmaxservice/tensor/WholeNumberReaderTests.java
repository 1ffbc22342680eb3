package io.softmaxservice.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WholeNumberReader#wholeValue}: the exact whole-number test on a literal's
 * digits.
 */
class WholeNumberReaderTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			2                      | 2
			-2                     | -2
			2.0                    | 2
			2e0                    | 2
			20e-1                  | 2
			-10e-1                 | -1
			0.02e2                 | 2
			1200e-2                | 12
			0                      | 0
			-0.0                   | 0
			0e-5000                | 0
			2147483647             | 2147483647
			-2147483648            | -2147483648
			9999999999             | 9999999999
			0001.500e1             | 15
			""")
	void wholeLiteralsReadAsTheirValue(String literal, long value) {
		assertThat(WholeNumberReader.wholeValue(literal)).isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "2.5", "-10e-2", "123e-2", "1e-400", "2.0000000000000000001", "0.5e0" })
	void literalsWithAFractionalPartAreNotWhole(String literal) {
		assertThat(WholeNumberReader.wholeValue(literal)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e10", "12345678901", "1e999999999999999999" })
	void literalsBeyondTenDigitsSaturate(String literal) {
		assertThat(WholeNumberReader.wholeValue(literal)).isEqualTo(Long.MAX_VALUE);
		assertThat(WholeNumberReader.wholeValue("-" + literal)).isEqualTo(Long.MIN_VALUE);
	}

}
