package io.softmaxservice.tensor;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WholeNumberReader}: the exact whole-number test on a literal's digits, and the
 * value, pointer, code and detail a field read with it gets.
 */
class WholeNumberReaderTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			2e0            | 2
			-10e-1         | -1
			2147483647     | 2147483647
			-2147483648    | -2147483648
			2147483647.0   | 2147483647
			""")
	void fieldReadsWholeLiteralAsInt(String literal, int value) {
		assertThat(read(literal)).isEqualTo(value);
	}

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			2147483648     | out-of-range | The number 2147483648 is out of range.
			-2147483649    | out-of-range | The number -2147483649 is out of range.
			1e10           | out-of-range | The number 1e10 is out of range.
			2.5            | not-whole    | Expected a whole number, found 2.5.
			-10e-2         | not-whole    | Expected a whole number, found -10e-2.
			'"2"'          | wrong-type   | Expected a whole number, found a string.
			true           | wrong-type   | Expected a whole number, found a boolean.
			[2]            | wrong-type   | Expected a whole number, found an array.
			""")
	void fieldRefusesLiteralAtItsPointerWithCodeAndDetail(String literal, String code, String detail) {
		InvalidInputException failure = InvalidInputs.thrownBy(() -> read(literal));
		assertThat(failure.pointer()).isEqualTo("/n");
		assertThat(failure.code()).isEqualTo(code);
		assertThat(failure.detail()).isEqualTo(detail);
	}

	@ParameterizedTest(name = "{0} chars")
	@CsvSource(delimiter = '|', textBlock = """
			39 | 0.5555555555555555555555555555555555555
			40 | 0.55555555555555555555555555555555555555
			41 | 0.555555555555555555...5555555555
			50 | 0.555555555555555555...5555555555
			""")
	void detailQuotesLiteralWholeUpTo40CharactersElseItsEnds(int length, String quoted) {
		String literal = "0." + "5".repeat(length - 2);
		assertThat(InvalidInputs.thrownBy(() -> read(literal)).detail())
			.isEqualTo("Expected a whole number, found " + quoted + ".");
	}

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

	private @Nullable Integer read(String literal) {
		return this.json.readValue("{\"n\": " + literal + "}", Field.class).n();
	}

	record Field(@JsonDeserialize(using = WholeNumberReader.class) @Nullable Integer n) {
	}

}
