package io.softmaxservice.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MaskReader} with the application's Jackson configuration: booleans only, the
 * tensor structure rules, pointers and the element limit.
 */
@JsonTest
@TestPropertySource(properties = "softmax.limits.max-elements=4")
class MaskReaderTests {

	@Autowired
	private JsonMapper json;

	@Test
	void readsNestedBooleansIntoShapeAndRowMajorValues() {
		Mask mask = read("[[true, false], [false, true]]");
		assertThat(mask.shape()).containsExactly(2, 2);
		assertThat(mask.size()).isEqualTo(4);
		assertThat(new boolean[] { mask.keeps(0), mask.keeps(1), mask.keeps(2), mask.keeps(3) }).containsExactly(true,
				false, false, true);
	}

	@Test
	void readsBareBooleanAsScalar() {
		Mask mask = read("false");
		assertThat(mask.shape()).isEmpty();
		assertThat(mask.keeps(0)).isFalse();
	}

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			{"m": [true, 1]}                  | /m/1   | wrong-type
			{"m": [true, 0]}                  | /m/1   | wrong-type
			{"m": [true, null]}               | /m/1   | wrong-type
			{"m": [true, "false"]}            | /m/1   | wrong-type
			{"m": 1}                          | /m     | wrong-type
			{"m": "true"}                     | /m     | wrong-type
			{"m": [[true], [true, false]]}    | /m/1   | ragged
			{"m": [[true], false]}            | /m/1   | ragged
			{"m": [[]]}                       | /m/0   | empty
			{"m": [true, true, true, true, true]} | /m | too-large
			""")
	void refusesInvalidMaskAtTheOffendingElement(String json, String pointer, String code) {
		InvalidInputException failure = InvalidInputs.thrownBy(() -> this.json.readValue(json, Holder.class));
		assertThat(failure.pointer()).isEqualTo(pointer);
		assertThat(failure.code()).isEqualTo(code);
	}

	@Test
	void numberInAMaskIsExplained() {
		assertThat(InvalidInputs.thrownBy(() -> read("[true, 1]")).detail())
			.isEqualTo("Expected true or false, found a number.");
	}

	private Mask read(String mask) {
		return this.json.readValue("{\"m\": " + mask + "}", Holder.class).m();
	}

	record Holder(Mask m) {
	}

}
