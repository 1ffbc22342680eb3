package io.softmaxservice.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link TensorReader} with the application's Jackson configuration: shapes, number
 * rules, pointers and the element limit.
 */
@JsonTest
@TestPropertySource(properties = "softmax.limits.max-elements=12")
class TensorReaderTests {

	@Autowired
	private JsonMapper json;

	@Test
	void readsNestedArraysIntoShapeAndRowMajorValues() {
		Tensor tensor = read("[[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]");
		assertThat(tensor.shape()).containsExactly(2, 3, 2);
		assertThat(tensor.values()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		assertThat(tensor.dtype()).isEqualTo(DType.FLOAT64);
	}

	@Test
	void readsBareNumberAsScalar() {
		Tensor tensor = read("2.5");
		assertThat(tensor.rank()).isZero();
		assertThat(tensor.values()).containsExactly(2.5);
	}

	@Test
	void readsRankEight() {
		assertThat(read("[[[[[[[[1, 2]]]]]]]]").shape()).containsExactly(1, 1, 1, 1, 1, 1, 1, 2);
	}

	@Test
	void readsNonStandardInfinityTokens() {
		assertThat(read("[Infinity, -Infinity, -0.0]").values()).containsExactly(Double.POSITIVE_INFINITY,
				Double.NEGATIVE_INFINITY, -0.0);
	}

	@Test
	void readsLiteralsOfAnyLengthAsTheirNearestDouble() {
		String longDecimal = "0." + "3".repeat(5000);
		String longInteger = "1" + "0".repeat(400);
		assertThat(read("[" + longDecimal + ", " + longInteger + ", -" + longInteger + ", 1e-400]").values())
			.containsExactly(1.0 / 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0);
	}

	@Test
	void readsNumbersExactly() {
		assertThat(read("[0.1, 9007199254740993, 2.2250738585072014E-308, 4.9e-324]").values()).containsExactly(0.1,
				9007199254740992.0, Double.MIN_NORMAL, Double.MIN_VALUE);
	}

	@Test
	void readsTensorAtTheElementLimit() {
		assertThat(read("[[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]").size()).isEqualTo(12);
	}

	@Test
	void refusesTensorOneElementOverTheLimit() {
		InvalidInputException ex = failure("{\"t\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]}");
		assertThat(ex).isInstanceOf(InputTooLargeException.class);
		assertThat(ex.pointer()).isEqualTo("/t");
	}

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			{"t": [[1, 2], [3]]}            | /t/1 | ragged
			{"t": [[1], [2, 3]]}            | /t/1 | ragged
			{"t": [[[1], [2]], [[3], [4, 5]]]} | /t/1/1 | ragged
			{"t": [[1], 2]}                 | /t/1 | ragged
			{"t": [1, [2]]}                 | /t/1 | ragged
			{"t": []}                       | /t | empty
			{"t": [[]]}                     | /t/0 | empty
			{"t": [[[[[[[[[0]]]]]]]]]}      | /t/0/0/0/0/0/0/0/0 | rank
			{"t": [1, NaN]}                 | /t/1 | nan
			{"t": [[1, 2], [3, "4"]]}       | /t/1/1 | wrong-type
			{"t": [1, null]}                | /t/1 | wrong-type
			{"t": "1"}                      | /t | wrong-type
			{"t": true}                     | /t | wrong-type
			{"t": [1, -INF]}                | /t/1 | non-standard-number
			""")
	void refusesInvalidTensorAtTheOffendingElement(String json, String pointer, String code) {
		InvalidInputException failure = failure(json);
		assertThat(failure.pointer()).isEqualTo(pointer);
		assertThat(failure.code()).isEqualTo(code);
	}

	@Test
	void jsonNumberSyntaxIsStrict() {
		for (String number : new String[] { "+1", ".5", "01", "inf", "-NaN", "+Infinity", "1.", "INF" }) {
			assertThat(catchThrowable(() -> this.json.readValue("{\"t\": [" + number + "]}", Holder.class))).as(number)
				.isNotNull();
		}
	}

	private Tensor read(String tensor) {
		return this.json.readValue("{\"t\": " + tensor + "}", Holder.class).t();
	}

	private InvalidInputException failure(String json) {
		return InvalidInputs.thrownBy(() -> this.json.readValue(json, Holder.class));
	}

	record Holder(Tensor t) {
	}

}
