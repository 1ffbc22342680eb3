package io.softmaxservice.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.unit.DataSize;

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
		assertThat(ex.code()).isEqualTo("too-large");
		assertThat(ex.detail()).isEqualTo("The tensor has more than 12 elements, the limit; send a smaller tensor.");
	}

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			{"t": [[1, 2], [3]]}            | /t/1 | ragged
			{"t": [[1], [2, 3]]}            | /t/1 | ragged
			{"t": [[[1], [2]], [[3], [4, 5]]]} | /t/1/1 | ragged
			{"t": [[1], 2]}                 | /t/1 | ragged
			{"t": [1, [2]]}                 | /t/1 | ragged
			{"t": [[1], [2, "x"]]}          | /t/1 | ragged
			{"t": [[1], [2, [3]]]}          | /t/1 | ragged
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

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					{"t": [[1, 2], [3]]}     | /t/1 | This array has 1 elements but the first array at its depth has 2; a tensor must be rectangular.
					{"t": [[1], [2, 3]]}     | /t/1 | This array has more than 1 elements but the first array at its depth has 1; a tensor must be rectangular.
					{"t": [[1, 2, 3], [4]]}  | /t/1 | This array has 1 elements but the first array at its depth has 3; a tensor must be rectangular.
					""")
	void raggedRowDetailSaysHowManyElementsItHasAndShouldHave(String json, String pointer, String detail) {
		InvalidInputException failure = failure(json);
		assertThat(failure.pointer()).isEqualTo(pointer);
		assertThat(failure.code()).isEqualTo("ragged");
		assertThat(failure.detail()).isEqualTo(detail);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			-INF       | /t/1
			+INF       | /t/1
			+Infinity  | /t/1
			""")
	void nonStandardInfinityTokensAreRefusedAtTheirPointer(String token, String pointer) {
		InvalidInputException failure = failure("{\"t\": [1, " + token + "]}");
		assertThat(failure.pointer()).isEqualTo(pointer);
		assertThat(failure.code()).isEqualTo("non-standard-number");
		assertThat(failure.detail())
			.isEqualTo("'" + token + "' is not a number; the only non-finite tokens read are Infinity and -Infinity.");
	}

	/**
	 * Number syntax outside JSON's grammar is a parse error at the token's place, never a
	 * value; over HTTP each is a 400 with code {@code malformed-json} at that pointer
	 * (see {@code SoftmaxControllerTests}).
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = { "+1", ".5", "01", "-01", "1.", "1.e5", "1e", "1e+", "-", "inf", "-NaN", "+NaN", "INF", "Inf" })
	void jsonNumberSyntaxIsStrict(String number) {
		Throwable thrown = catchThrowable(() -> this.json.readValue("{\"t\": [1, " + number + "]}", Holder.class));
		assertThat(thrown).as(number).isInstanceOf(StreamReadException.class);
		StreamReadException syntax = (StreamReadException) thrown;
		assertThat(syntax.getLocation().getLineNr()).isEqualTo(1);
		assertThat(syntax.getLocation().getColumnNr()).as(number).isBetween(11, 11 + number.length() + 1);
		assertThat(((JsonParser) syntax.processor()).streamReadContext().pathAsPointer()).hasToString("/t/1");
	}

	private Tensor read(String tensor) {
		return this.json.readValue("{\"t\": " + tensor + "}", Holder.class).t();
	}

	private InvalidInputException failure(String json) {
		return InvalidInputs.thrownBy(() -> this.json.readValue(json, Holder.class));
	}

	@Test
	void handlesTensors() {
		assertThat(new TensorReader(new TensorLimits(DataSize.ofMegabytes(1), 12)).handledType())
			.isEqualTo(Tensor.class);
	}

	record Holder(Tensor t) {
	}

}
