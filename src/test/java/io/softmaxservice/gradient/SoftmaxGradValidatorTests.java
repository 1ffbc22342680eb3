package io.softmaxservice.gradient;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorLimits;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static io.softmaxservice.InvalidInputAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of {@link SoftmaxGradValidator}, without JSON or HTTP: value, pointer and
 * code.
 */
class SoftmaxGradValidatorTests {

	private static final double INF = Double.POSITIVE_INFINITY;

	private final SoftmaxGradValidator validator = new SoftmaxGradValidator(
			new TensorLimits(DataSize.ofMegabytes(64), 18));

	private static final Tensor XS = Tensor.of(new int[] { 2 }, 1, 2);

	@Test
	void validateResolvesDefaults() {
		Tensor g = Tensor.of(new int[] { 2 }, 1, 0);
		SoftmaxGradCall call = this.validator.validate(logits(XS, g));
		assertThat(call.kind()).isEqualTo(Point.LOGITS);
		assertThat(call.point()).isSameAs(XS);
		assertThat(call.gradOutput()).isSameAs(g);
		assertThat(call.mode()).isEqualTo(Mode.VJP);
		assertThat(call.axis()).isZero();
		assertThat(call.temperature()).isEqualTo(1.0);
		assertThat(call.log()).isFalse();
		assertThat(call.elements()).isEqualTo(4);
	}

	@Test
	void resultElementsAreThePointsOrAJacobiansClassesTimesThem() {
		Tensor rows = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, 4, 5, 6);
		assertThat(
				this.validator.validate(logits(rows, Tensor.of(new int[] { 2, 3 }, 1, 0, 0, 0, 1, 0))).resultElements())
			.isEqualTo(6);
		assertThat(this.validator
			.validate(new SoftmaxGradRequest(rows, null, null, null, Mode.JACOBIAN, null, null, null, null, null))
			.resultElements()).isEqualTo(18);
		assertThat(this.validator
			.validate(new SoftmaxGradRequest(rows, null, null, null, Mode.JACOBIAN, 0, null, null, null, null))
			.resultElements()).isEqualTo(12);
	}

	@Test
	void validateTakesThePointFromWhicheverFieldGivesIt() {
		SoftmaxGradCall probabilities = this.validator.validate(new SoftmaxGradRequest(null,
				Tensor.of(new int[] { 2 }, 0.25, 0.75), null, null, Mode.JACOBIAN, null, 2.0, true, null, null));
		assertThat(probabilities.kind()).isEqualTo(Point.PROBABILITIES);
		assertThat(probabilities.gradOutput()).isNull();
		assertThat(probabilities.elements()).isEqualTo(2);
		assertThat(probabilities.temperature()).isEqualTo(2.0);
		assertThat(probabilities.log()).isTrue();
		SoftmaxGradCall log = this.validator.validate(new SoftmaxGradRequest(null, null,
				Tensor.of(new int[] { 2 }, 0, -INF), null, Mode.JACOBIAN, null, null, null, null, null));
		assertThat(log.kind()).isEqualTo(Point.LOG_PROBABILITIES);
	}

	@Test
	void validateWithoutDtypeComputesInThePointsDtypeAndRoundsGradOutputToIt() {
		Tensor point = new Tensor(new int[] { 2 }, new double[] { 1, 2 }, DType.FLOAT32);
		SoftmaxGradCall call = this.validator.validate(logits(point, Tensor.of(new int[] { 2 }, 0.1, 0.2)));
		assertThat(call.point().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(call.gradOutput().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(call.gradOutput().values()).containsExactly((float) 0.1, (float) 0.2);
	}

	@Test
	void validateWhenNoPointIsGivenFailsAtLogits() {
		assertInvalid(() -> this.validator.validate(logits(null, XS)), "/logits", "required");
	}

	@Test
	void validateWhenTwoPointsAreGivenFailsAtTheSecond() {
		assertThat(assertInvalid(
				() -> this.validator
					.validate(new SoftmaxGradRequest(XS, null, XS, XS, null, null, null, null, null, null)),
				"/log_probabilities", "conflict")
			.detail()).isEqualTo("Both 'logits' and 'log_probabilities' are given; send exactly one point.");
	}

	@Test
	void validateWhenThePointIsASingleNumberFailsWithRank() {
		assertInvalid(() -> this.validator.validate(new SoftmaxGradRequest(null, Tensor.scalar(1), null, null,
				Mode.JACOBIAN, null, null, null, null, null)), "/probabilities", "rank");
	}

	@Test
	void validateWhenAxisOrTemperatureIsOutOfRangeFails() {
		assertInvalid(
				() -> this.validator
					.validate(new SoftmaxGradRequest(XS, null, null, XS, null, 1, null, null, null, null)),
				"/axis", "out-of-range");
		assertInvalid(
				() -> this.validator
					.validate(new SoftmaxGradRequest(XS, null, null, XS, null, null, 0.0, null, null, null)),
				"/temperature", "out-of-range");
	}

	@Test
	void validateWhenVjpHasNoGradOutputFails() {
		assertInvalid(() -> this.validator.validate(logits(XS, null)), "/grad_output", "required");
	}

	@Test
	void validateWhenJacobianHasGradOutputFails() {
		assertInvalid(
				() -> this.validator
					.validate(new SoftmaxGradRequest(XS, null, null, XS, Mode.JACOBIAN, null, null, null, null, null)),
				"/grad_output", "not-allowed");
	}

	@Test
	void validateWhenJacobianIsOverTheLimitFailsWith413AtMode() {
		Tensor atLimit = Tensor.of(new int[] { 2, 3 }, new double[6]);
		assertThat(jacobian(atLimit).mode()).isEqualTo(Mode.JACOBIAN);
		Tensor over = Tensor.of(new int[] { 2, 4 }, new double[8]);
		assertThat(assertInvalid(() -> jacobian(over), "/mode", "too-large"))
			.isInstanceOf(InputTooLargeException.class);
	}

	@Test
	void validateWhenGradOutputRankDiffersFailsAtGradOutput() {
		assertThat(assertInvalid(() -> this.validator.validate(logits(XS, Tensor.of(new int[] { 1, 2 }, 1, 2))),
				"/grad_output", "shape-mismatch")
			.detail()).isEqualTo("grad_output has rank 2 but 'logits' has rank 1; send the same shape.");
	}

	@Test
	void validateWhenGradOutputLengthDiffersFailsAtTheFirstArrayOfThatDepth() {
		Tensor point = Tensor.of(new int[] { 2, 3 }, new double[6]);
		assertInvalid(() -> this.validator.validate(logits(point, Tensor.of(new int[] { 2, 4 }, new double[8]))),
				"/grad_output/0", "shape-mismatch");
		assertInvalid(() -> this.validator.validate(logits(point, Tensor.of(new int[] { 1, 3 }, new double[3]))),
				"/grad_output", "shape-mismatch");
	}

	@Test
	void validateWhenGradOutputIsInfiniteFailsAtTheElement() {
		assertThat(assertInvalid(() -> this.validator.validate(logits(XS, Tensor.of(new int[] { 2 }, 1, -INF))),
				"/grad_output/1", "not-finite")
			.detail()).isEqualTo("-Infinity is not allowed in grad_output; send a finite number.");
		assertThat(assertInvalid(
				() -> this.validator.validate(new SoftmaxGradRequest(XS, null, null,
						Tensor.of(new int[] { 2 }, 1e39, 1), null, null, null, null, DType.FLOAT32, null)),
				"/grad_output/0", "not-finite")
			.detail()).contains("(this value overflows float32)");
	}

	@Test
	void validateWhenLogitsBreakTheSoftmaxRulesFails() {
		assertInvalid(() -> this.validator.validate(logits(Tensor.of(new int[] { 2 }, INF, 1), XS)), "/logits/0",
				"not-finite");
		assertInvalid(() -> this.validator.validate(logits(Tensor.of(new int[] { 2 }, -INF, -INF), XS)), "/logits",
				"masked-slice");
	}

	@Test
	void validateWhenAProbabilityIsOutsideZeroToOneFailsAtIt() {
		assertThat(assertInvalid(() -> probabilities(Tensor.of(new int[] { 2, 2 }, 0.5, 0.5, -0.25, 1.25)),
				"/probabilities/1/0", "out-of-range")
			.detail()).isEqualTo("Probabilities must lie in [0, 1], not -0.25.");
	}

	@Test
	void validateWhenProbabilitiesDoNotSumToOneFailsAtTheSlice() {
		assertThat(assertInvalid(() -> probabilities(Tensor.of(new int[] { 2, 2 }, 0.5, 0.5, 0.5, 0.6)),
				"/probabilities/1", "not-normalized")
			.detail()).isEqualTo("This slice along axis 1 sums to 1.1, not 1 within 1.0E-6; send a softmax output.");
		assertInvalid(() -> probabilities(Tensor.of(new int[] { 2 }, 0.5, 0.500002)), "/probabilities",
				"not-normalized");
		assertThat(probabilities(Tensor.of(new int[] { 2 }, 0.5, 0.5000009)).point().values()).containsExactly(0.5,
				0.5000009);
	}

	@Test
	void validateWithFloat32ToleratesALargerSumError() {
		Tensor point = Tensor.of(new int[] { 2 }, 0.5, 0.50009);
		SoftmaxGradCall call = this.validator.validate(
				new SoftmaxGradRequest(null, point, null, null, Mode.JACOBIAN, null, null, null, DType.FLOAT32, null));
		assertThat(call.point().values()).containsExactly(0.5, (float) 0.50009);
		assertInvalid(
				() -> this.validator.validate(new SoftmaxGradRequest(null, Tensor.of(new int[] { 2 }, 0.5, 0.5002),
						null, null, Mode.JACOBIAN, null, null, null, DType.FLOAT32, null)),
				"/probabilities", "not-normalized");
	}

	@Test
	void validateWhenALogProbabilityIsAboveZeroFailsAtIt() {
		assertInvalid(() -> logProbabilities(Tensor.of(new int[] { 2 }, 0.1, -3), null), "/log_probabilities/0",
				"out-of-range");
		assertThat(assertInvalid(() -> logProbabilities(Tensor.of(new int[] { 2 }, -1, -1), null), "/log_probabilities",
				"not-normalized")
			.detail()).contains("(of exponentials)");
	}

	@Test
	void validateAcceptsTheBoundsOfProbabilitiesAndLogProbabilities() {
		assertThat(logProbabilities(Tensor.of(new int[] { 2 }, 0, -INF), null).point().values()).containsExactly(0,
				-INF);
		assertThat(probabilities(Tensor.of(new int[] { 2 }, 1, 0)).point().values()).containsExactly(1, 0);
		assertThat(probabilities(Tensor.of(new int[] { 2 }, 0, 1)).point().values()).containsExactly(0, 1);
	}

	@Test
	void validateWithMaskSetsMaskedLogitsToMinusInfinity() {
		SoftmaxGradCall call = this.validator.validate(new SoftmaxGradRequest(Tensor.of(new int[] { 3 }, 1, 2, 3), null,
				null, Tensor.of(new int[] { 3 }, 1, 1, 1), null, null, null, null, null,
				Mask.of(new int[] { 3 }, true, false, true)));
		assertThat(call.point().values()).containsExactly(1, -INF, 3);
		assertThat(call.gradOutput().values()).containsExactly(1, 1, 1);
	}

	@Test
	void validateWithMaskSetsMaskedProbabilitiesToZeroBeforeTheSumRule() {
		Mask mask = Mask.of(new int[] { 3 }, true, true, false);
		SoftmaxGradCall call = this.validator.validate(new SoftmaxGradRequest(null,
				Tensor.of(new int[] { 3 }, 0.5, 0.5, 0.3), null, null, Mode.JACOBIAN, null, null, null, null, mask));
		assertThat(call.point().values()).containsExactly(0.5, 0.5, 0);
		assertInvalid(() -> this.validator.validate(new SoftmaxGradRequest(null,
				Tensor.of(new int[] { 3 }, 0.3, 0.3, 0.4), null, null, Mode.JACOBIAN, null, null, null, null, mask)),
				"/probabilities", "not-normalized");
	}

	@Test
	void validateWithMaskSetsMaskedLogProbabilitiesToMinusInfinity() {
		SoftmaxGradCall call = logProbabilities(Tensor.of(new int[] { 2 }, 0, 0),
				Mask.of(new int[] { 2 }, true, false));
		assertThat(call.point().values()).containsExactly(0, -INF);
	}

	@Test
	void validateWhenMaskIsShapedUnlikeThePointFailsAtMask() {
		assertThat(assertInvalid(
				() -> logProbabilities(Tensor.of(new int[] { 2 }, 0, -INF), Mask.of(new int[] { 1, 2 }, true, false)),
				"/mask", "shape-mismatch")
			.detail())
			.isEqualTo("The mask has shape [1, 2] but 'log_probabilities' has shape [2]; "
					+ "send a mask shaped exactly like 'log_probabilities'.");
	}

	@Test
	void validateWhenMaskMasksAWholeSliceFails() {
		assertInvalid(() -> this.validator.validate(new SoftmaxGradRequest(XS, null, null, XS, null, null, null, null,
				null, Mask.of(new int[] { 2 }, false, false))), "/logits", "masked-slice");
	}

	private SoftmaxGradCall jacobian(Tensor logits) {
		return this.validator
			.validate(new SoftmaxGradRequest(logits, null, null, null, Mode.JACOBIAN, null, null, null, null, null));
	}

	private SoftmaxGradCall probabilities(Tensor point) {
		return this.validator
			.validate(new SoftmaxGradRequest(null, point, null, null, Mode.JACOBIAN, null, null, null, null, null));
	}

	private SoftmaxGradCall logProbabilities(Tensor point, Mask mask) {
		return this.validator
			.validate(new SoftmaxGradRequest(null, null, point, null, Mode.JACOBIAN, null, null, null, null, mask));
	}

	private static SoftmaxGradRequest logits(Tensor logits, Tensor gradOutput) {
		return new SoftmaxGradRequest(logits, null, null, gradOutput, null, null, null, null, null, null);
	}

}
