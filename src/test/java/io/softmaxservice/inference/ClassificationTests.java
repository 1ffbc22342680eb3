package io.softmaxservice.inference;

import io.softmaxservice.inference.InferenceResponse.OutputTensor;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The classification extension's top-k strings.
 */
class ClassificationTests {

	/** The classification extension's documented example: output [1.1, 3.3, 0.5, 2.4]. */
	@Test
	void classificationOfDocumentedExampleIsTop2ByValue() {
		OutputTensor output = Classification.of("output0", Tensor.of(new int[] { 4 }, 1.1, 3.3, 0.5, 2.4), 0, 2, false);
		assertThat(output.datatype()).isEqualTo("BYTES");
		assertThat(output.shape()).containsExactly(2);
		assertThat(output.classes()).containsExactly("3.3:1", "2.4:3");
	}

	@Test
	void classificationRanksEachSliceAlongTheAxis() {
		Tensor tensor = Tensor.of(new int[] { 2, 3 }, 1, 5, 3, 4, 2, 6);
		assertThat(Classification.of("p", tensor, 1, 2, false).classes()).containsExactly("5.0:1", "3.0:2", "6.0:2",
				"4.0:0");
		OutputTensor columns = Classification.of("p", tensor, 0, 1, false);
		assertThat(columns.shape()).containsExactly(3, 1);
		assertThat(columns.classes()).containsExactly("4.0:1", "5.0:0", "6.0:1");
	}

	@Test
	void classificationKeepsTheLowerIndexFirstOnTiesAndMaskedClassesLast() {
		Tensor tensor = Tensor.of(new int[] { 4 }, Double.NEGATIVE_INFINITY, 0.25, 0.25, 0.5);
		assertThat(Classification.of("p", tensor, 0, 4, false).classes()).containsExactly("0.5:3", "0.25:1", "0.25:2",
				"-Infinity:0");
	}

	@Test
	void classificationWritesFloat32ValuesAsTheShortestFloat() {
		Tensor tensor = new Tensor(new int[] { 2 }, new double[] { (float) 0.1, (float) 0.9 }, DType.FLOAT32);
		assertThat(Classification.of("p", tensor, 0, 2, true).classes()).containsExactly("0.9:1", "0.1:0");
	}

	@Test
	void classificationOfMoreClassesThanTheAxisHoldsIsRefused() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Classification.of("p", Tensor.of(new int[] { 1, 3 }, 1, 2, 3), 1, 4, false))
			.withMessage("classification 4 on output 'p' asks for more than its 3 classes; ask for 1 to 3.");
	}

	@Test
	void classificationOfASingleNumberIsRefused() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> Classification.of("loss", Tensor.scalar(2), 0, 1, false))
			.withMessageStartingWith("The output 'loss' is a single number");
	}

}
