package io.softmaxservice.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Tensor}, {@link Slices} and the shared checks of {@link TensorChecks}.
 */
class TensorTests {

	@Test
	void pointerNamesEveryCoordinate() {
		Tensor tensor = Tensor.of(new int[] { 2, 3, 4 }, new double[24]);
		assertThat(tensor.pointer("/logits", 0)).isEqualTo("/logits/0/0/0");
		assertThat(tensor.pointer("/logits", 23)).isEqualTo("/logits/1/2/3");
		assertThat(tensor.pointer("/logits", 13)).isEqualTo("/logits/1/0/1");
	}

	@Test
	void shapeMustHoldTheValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> Tensor.of(new int[] { 2, 2 }, 1, 2, 3));
	}

	@Test
	void float32RoundsValues() {
		Tensor tensor = Tensor.of(new int[] { 2 }, 0.1, 1e39).as(DType.FLOAT32);
		assertThat(tensor.values()).containsExactly((float) 0.1, Double.POSITIVE_INFINITY);
		assertThat(tensor.dtype()).isEqualTo(DType.FLOAT32);
	}

	@Test
	void slicesWalkAnyAxis() {
		Slices slices = Slices.of(new int[] { 2, 3, 4 }, 1);
		assertThat(slices.count()).isEqualTo(8);
		assertThat(slices.length()).isEqualTo(3);
		assertThat(slices.stride()).isEqualTo(4);
		assertThat(slices.start(0)).isZero();
		assertThat(slices.start(3)).isEqualTo(3);
		assertThat(slices.start(4)).isEqualTo(12);
		assertThat(slices.start(7)).isEqualTo(15);
	}

	@Test
	void negativeAxisCountsFromTheEnd() {
		assertThat(TensorChecks.axis(-1, 0, 3, "/axis")).isEqualTo(2);
		assertThat(TensorChecks.axis(-3, 0, 3, "/axis")).isZero();
		assertThat(TensorChecks.axis(null, -1, 3, "/axis")).isEqualTo(2);
	}

	@Test
	void axisOutsideTheRankIsRefused() {
		for (int axis : new int[] { 3, -4 }) {
			assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
					() -> TensorChecks.axis(axis, 0, 3, "/axis")))
				.extracting(InvalidInputException::pointer)
				.isEqualTo("/axis");
		}
	}

	@Test
	void maskedSliceIsReportedByItsPointer() {
		double inf = Double.NEGATIVE_INFINITY;
		Tensor logits = Tensor.of(new int[] { 2, 2 }, 0, inf, inf, inf);
		assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
				() -> TensorChecks.checkLogits(logits, 1, "/logits")))
			.extracting(InvalidInputException::pointer)
			.isEqualTo("/logits/1");
		assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
				() -> TensorChecks.checkLogits(logits, 0, "/logits")))
			.extracting(InvalidInputException::pointer)
			.isEqualTo("/logits/0/1");
	}

}
