package io.softmaxservice.softmax;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.softmaxservice.InvalidInputAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of {@link SoftmaxValidator}, without JSON or HTTP: value, pointer and code.
 */
class SoftmaxValidatorTests {

	private static final double INF = Double.POSITIVE_INFINITY;

	private final SoftmaxValidator validator = new SoftmaxValidator();

	@Test
	void validateResolvesDefaults() {
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, 4, 5, 6);
		SoftmaxCall call = this.validator.validate(new SoftmaxRequest(logits, null, null, null, null, null));
		assertThat(call.logits()).isSameAs(logits);
		assertThat(call.axis()).isEqualTo(1);
		assertThat(call.temperature()).isEqualTo(1.0);
		assertThat(call.log()).isFalse();
		assertThat(call.elements()).isEqualTo(6);
	}

	@Test
	void validateKeepsGivenOptions() {
		SoftmaxCall call = this.validator
			.validate(new SoftmaxRequest(Tensor.of(new int[] { 2, 3 }, new double[6]), -2, 0.5, true, null, null));
		assertThat(call.axis()).isZero();
		assertThat(call.temperature()).isEqualTo(0.5);
		assertThat(call.log()).isTrue();
	}

	@Test
	void validateWithoutDtypeComputesInThePointsDtype() {
		Tensor float32 = new Tensor(new int[] { 2 }, new double[] { 0.5f, 0.25f }, DType.FLOAT32);
		assertThat(this.validator.validate(request(float32)).logits().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(this.validator.validate(request(Tensor.of(new int[] { 1 }, 0.1))).logits().dtype())
			.isEqualTo(DType.FLOAT64);
	}

	@Test
	void validateWithFloat32RoundsACopyOfTheLogits() {
		Tensor logits = Tensor.of(new int[] { 2 }, 0.1, 0.2);
		SoftmaxCall call = this.validator.validate(new SoftmaxRequest(logits, null, null, null, DType.FLOAT32, null));
		assertThat(call.logits().values()).containsExactly((float) 0.1, (float) 0.2);
		assertThat(logits.values()).containsExactly(0.1, 0.2);
	}

	@Test
	void validateWhenLogitsAreMissingFailsAtLogits() {
		assertInvalid(() -> this.validator.validate(request(null)), "/logits", "required");
	}

	@Test
	void validateWhenLogitsAreASingleNumberFailsWithRank() {
		assertInvalid(() -> this.validator.validate(request(Tensor.scalar(1))), "/logits", "rank");
	}

	@Test
	void validateWhenAxisIsOutsideTheRankFails() {
		Tensor logits = Tensor.of(new int[] { 2 }, 1, 2);
		assertThat(assertInvalid(() -> this.validator.validate(new SoftmaxRequest(logits, 1, null, null, null, null)),
				"/axis", "out-of-range")
			.detail()).isEqualTo("The axis 1 is out of range for a tensor of rank 1; use a value from -1 to 0.");
		assertInvalid(() -> this.validator.validate(new SoftmaxRequest(logits, -2, null, null, null, null)), "/axis",
				"out-of-range");
	}

	@Test
	void validateWhenTemperatureIsNotAFinitePositiveNumberFails() {
		for (double t : new double[] { 0, -0.0, -1, INF, Double.NaN }) {
			assertInvalid(
					() -> this.validator
						.validate(new SoftmaxRequest(Tensor.of(new int[] { 1 }, 1), null, t, null, null, null)),
					"/temperature", "out-of-range");
		}
		assertThat(this.validator
			.validate(new SoftmaxRequest(Tensor.of(new int[] { 1 }, 1), null, Double.MIN_VALUE, null, null, null))
			.temperature()).isEqualTo(Double.MIN_VALUE);
	}

	@Test
	void validateWhenALogitIsPlusInfinityFailsAtIt() {
		assertThat(assertInvalid(() -> this.validator.validate(request(Tensor.of(new int[] { 2, 2 }, 1, 2, INF, 0))),
				"/logits/1/0", "not-finite")
			.detail())
			.isEqualTo("+Infinity is not allowed in logits; send a finite number, or -Infinity to mask the class out.");
	}

	@Test
	void validateWhenAFloat32LogitOverflowsSaysSo() {
		Tensor logits = Tensor.of(new int[] { 2 }, 1, 1e39);
		assertThat(assertInvalid(
				() -> this.validator.validate(new SoftmaxRequest(logits, null, null, null, DType.FLOAT32, null)),
				"/logits/1", "not-finite")
			.detail()).contains("(this value overflows float32)");
	}

	@Test
	void validateWhenASliceIsAllMinusInfinityFailsAtTheSlice() {
		Tensor rows = Tensor.of(new int[] { 2, 2 }, 0, 1, -INF, -INF);
		assertInvalid(() -> this.validator.validate(request(rows)), "/logits/1", "masked-slice");
		Tensor columns = Tensor.of(new int[] { 2, 2 }, 0, -INF, 1, -INF);
		assertThat(this.validator.validate(request(columns)).logits()).isSameAs(columns);
		assertInvalid(() -> this.validator.validate(new SoftmaxRequest(columns, 0, null, null, null, null)),
				"/logits/0/1", "masked-slice");
	}

	@Test
	void validateWithMaskSetsMaskedLogitsToMinusInfinity() {
		Tensor logits = Tensor.of(new int[] { 2, 2 }, 1, 2, 3, 4);
		SoftmaxCall call = this.validator.validate(new SoftmaxRequest(logits, null, null, null, null,
				Mask.of(new int[] { 2, 2 }, true, false, false, true)));
		assertThat(call.logits().values()).containsExactly(1, -INF, -INF, 4);
		assertThat(logits.values()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void validateWithMaskAcceptsMaskedPlusInfinity() {
		SoftmaxCall call = this.validator.validate(new SoftmaxRequest(Tensor.of(new int[] { 2 }, 1, INF), null, null,
				null, null, Mask.of(new int[] { 2 }, true, false)));
		assertThat(call.logits().values()).containsExactly(1, -INF);
	}

	@Test
	void validateWhenMaskAndMinusInfinityMaskEverySliceElementFails() {
		assertInvalid(() -> this.validator.validate(new SoftmaxRequest(Tensor.of(new int[] { 1, 2 }, -INF, 1), null,
				null, null, null, Mask.of(new int[] { 1, 2 }, true, false))), "/logits/0", "masked-slice");
	}

	@Test
	void validateWhenMaskShapeDiffersFailsAtMask() {
		assertThat(assertInvalid(() -> this.validator.validate(new SoftmaxRequest(Tensor.of(new int[] { 1, 2 }, 0, 1),
				null, null, null, null, Mask.of(new int[] { 2 }, true, false))), "/mask", "shape-mismatch")
			.detail()).isEqualTo(
					"The mask has shape [2] but 'logits' has shape [1, 2]; send a mask shaped exactly like 'logits'.");
	}

	private static SoftmaxRequest request(Tensor logits) {
		return new SoftmaxRequest(logits, null, null, null, null, null);
	}

}
