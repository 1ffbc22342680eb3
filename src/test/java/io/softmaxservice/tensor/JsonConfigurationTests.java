package io.softmaxservice.tensor;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The application's Jackson settings, one test for each place where the contract differs
 * from Jackson 3's defaults.
 */
@JsonTest
class JsonConfigurationTests {

	@Autowired
	private JsonMapper json;

	@Test
	void unknownPropertiesAreRefused() {
		assertThatExceptionOfType(UnrecognizedPropertyException.class)
			.isThrownBy(() -> this.json.readValue("{\"n\": 1, \"nn\": 2}", Fields.class));
	}

	@Test
	void duplicateKeysAreRefused() {
		assertThatExceptionOfType(StreamReadException.class)
			.isThrownBy(() -> this.json.readValue("{\"n\": 1, \"n\": 2}", Fields.class));
	}

	@Test
	void trailingContentIsRefused() {
		assertThatExceptionOfType(MismatchedInputException.class)
			.isThrownBy(() -> this.json.readValue("{\"n\": 1} {}", Fields.class));
	}

	@Test
	void scalarsAreNotCoerced() {
		assertThatExceptionOfType(MismatchedInputException.class)
			.isThrownBy(() -> this.json.readValue("{\"flag\": \"true\"}", Fields.class));
		assertThatExceptionOfType(MismatchedInputException.class)
			.isThrownBy(() -> this.json.readValue("{\"x\": \"1.5\"}", Fields.class));
		assertThatExceptionOfType(MismatchedInputException.class)
			.isThrownBy(() -> this.json.readValue("{\"flag\": 1}", Fields.class));
	}

	@Test
	void enumsAreReadFromTheirExactNamesOnly() {
		assertThat(this.json.readValue("{\"dtype\": \"float32\"}", Fields.class).dtype()).isEqualTo(DType.FLOAT32);
		for (String value : new String[] { "1", "0", "\"float32 \"", "\" float32\"", "\"FLOAT32\"", "\"Float32\"",
				"\"\"", "true", "[\"float32\"]" }) {
			InvalidInputException thrown = InvalidInputs
				.thrownBy(() -> this.json.readValue("{\"dtype\": " + value + "}", Fields.class));
			assertThat(thrown.pointer()).as(value).isEqualTo("/dtype");
			assertThat(thrown.detail()).as(value).contains("\"float64\", \"float32\"");
		}
	}

	@Test
	void integerFieldsReadLiteralsOfMillionsOfDigitsInLinearTime() {
		String huge = "1" + "0".repeat(10_000_000);
		InvalidInputException thrown = InvalidInputs
			.thrownBy(() -> this.json.readValue("{\"n\": " + huge + "}", Fields.class));
		assertThat(thrown.detail()).hasSizeLessThan(100).contains("out of range");
		assertThat(this.json.readValue("{\"n\": 3." + "0".repeat(10_000_000) + "}", Fields.class).n()).isEqualTo(3);
	}

	@Test
	void nonNumericNumbersAreReadAsNumbers() {
		assertThat(this.json.readValue("{\"x\": -Infinity}", Fields.class).x()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.json.readValue("{\"x\": NaN}", Fields.class).x()).isNaN();
	}

	@Test
	void infinitiesAreWrittenAsBareTokens() {
		assertThat(this.json.writeValueAsString(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)))
			.isEqualTo("[-Infinity,Infinity]");
	}

	@Test
	void tensorsAreWrittenAsShortestRoundTripDecimals() {
		Tensor doubles = Tensor.of(new int[] { 2, 2 }, 0.1, 2e23, 1.0 / 3, Double.NEGATIVE_INFINITY);
		assertThat(this.json.writeValueAsString(doubles)).isEqualTo("[[0.1,2.0E23],[0.3333333333333333,-Infinity]]");
		Tensor floats = new Tensor(new int[] { 3 }, new double[] { 0.1f, 1.0f / 3, 16777216f }, DType.FLOAT32);
		assertThat(this.json.writeValueAsString(floats)).isEqualTo("[0.1,0.33333334,1.6777216E7]");
	}

	@Test
	void subnormalsAreWrittenAsTheShortestDecimal() {
		Tensor doubles = Tensor.of(new int[] { 4 }, Double.MIN_VALUE, -2 * Double.MIN_VALUE, 1e-310, Double.MIN_NORMAL);
		assertThat(this.json.writeValueAsString(doubles))
			.isEqualTo("[5.0E-324,-1.0E-323,1.0E-310,2.2250738585072014E-308]");
		Tensor floats = new Tensor(new int[] { 3 },
				new double[] { Float.MIN_VALUE, -2 * Float.MIN_VALUE, 7 * Float.MIN_VALUE }, DType.FLOAT32);
		assertThat(this.json.writeValueAsString(floats)).isEqualTo("[1.0E-45,-3.0E-45,1.0E-44]");
	}

	@Test
	void everySubnormalWrittenReadsBackExactly() {
		java.util.Random random = new java.util.Random(7);
		for (int i = 0; i < 20_000; i++) {
			double value = Double.longBitsToDouble(random.nextLong() & 0x000F_FFFF_FFFF_FFFFL);
			String text = TensorWriter.shortestSubnormal(value, false);
			assertThat(Double.parseDouble(text)).as(text).isEqualTo(value);
			float single = Float.intBitsToFloat(random.nextInt() & 0x007F_FFFF);
			String singleText = TensorWriter.shortestSubnormal(single, true);
			assertThat(Float.parseFloat(singleText)).as(singleText).isEqualTo(single);
			assertThat(singleText.replaceAll("[-.]|E.*", "").replaceFirst("0$", "").length())
				.isLessThanOrEqualTo(Float.toString(single).replaceAll("[-.]|E.*", "").replaceFirst("0$", "").length());
		}
	}

	@Test
	void scalarTensorIsWrittenAsNumber() {
		assertThat(this.json.writeValueAsString(Tensor.scalar(2000.0))).isEqualTo("2000.0");
	}

	@Test
	void integerFieldsTakeWholeValuesOnly() {
		assertThat(this.json.readValue("{\"n\": 2.0}", Fields.class).n()).isEqualTo(2);
		assertThat(this.json.readValue("{\"n\": -2e0}", Fields.class).n()).isEqualTo(-2);
		assertThat(this.json.readValue("{\"n\": 0.0e5}", Fields.class).n()).isEqualTo(0);
		assertThat(this.json.readValue("{\"n\": 0.002e3}", Fields.class).n()).isEqualTo(2);
		assertThat(this.json.readValue("{\"n\": 2147483647}", Fields.class).n()).isEqualTo(Integer.MAX_VALUE);
		assertThat(this.json.readValue("{\"n\": -2147483648.000}", Fields.class).n()).isEqualTo(Integer.MIN_VALUE);
		assertThat(this.json.readValue("{\"n\": 0e-999999999999999999999}", Fields.class).n()).isZero();
		for (String value : new String[] { "2.5", "2.0000000000000000001", "3e9", "2147483648", "-2147483649", "\"2\"",
				"true", "NaN", "-Infinity", "1e-400", "1e99999999999999999999", "0.55e1", "0.0021e3" }) {
			InvalidInputException thrown = InvalidInputs
				.thrownBy(() -> this.json.readValue("{\"n\": " + value + "}", Fields.class));
			assertThat(thrown.pointer()).as(value).isEqualTo("/n");
		}
	}

	record Fields(@tools.jackson.databind.annotation.JsonDeserialize(using = WholeNumberReader.class) Integer n,
			Boolean flag, Double x, DType dtype) {
	}

}
