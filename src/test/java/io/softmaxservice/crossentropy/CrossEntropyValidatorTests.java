package io.softmaxservice.crossentropy;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.softmaxservice.InvalidInputAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every rule of {@link CrossEntropyValidator}, without JSON or HTTP: value, pointer and
 * code; and the maths of {@link CrossEntropyCall} the validator and the kernel share.
 */
class CrossEntropyValidatorTests {

	private static final double INF = Double.POSITIVE_INFINITY;

	private static final Tensor LOGITS = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, 4, 5, 6);

	private static final Tensor INDICES = Tensor.of(new int[] { 2 }, 0, 2);

	private final CrossEntropyValidator validator = new CrossEntropyValidator();

	@Test
	void validateResolvesDefaults() {
		CrossEntropyCall call = validate(LOGITS, INDICES);
		assertThat(call.axis()).isEqualTo(1);
		assertThat(call.probabilityTarget()).isFalse();
		assertThat(call.weight()).isNull();
		assertThat(call.ignoreIndex()).isEqualTo(-100);
		assertThat(call.reduction()).isEqualTo(Reduction.MEAN);
		assertThat(call.labelSmoothing()).isZero();
		assertThat(call.includeGrad()).isFalse();
		assertThat(call.elements()).isEqualTo(8);
		assertThat(call.meanDivisor()).isEqualTo(2);
	}

	@Test
	void validateDefaultsTheClassAxisToZeroForRank1Logits() {
		CrossEntropyCall call = validate(Tensor.of(new int[] { 3 }, 1, 2, 3), Tensor.scalar(2));
		assertThat(call.axis()).isZero();
		assertThat(CrossEntropyCall.indexShape(new int[] { 3 }, 0)).isEmpty();
		assertThat(CrossEntropyCall.indexShape(new int[] { 2, 3, 4 }, 1)).containsExactly(2, 4);
	}

	@Test
	void validateTellsProbabilityTargetsByTheirShape() {
		CrossEntropyCall call = validate(LOGITS, Tensor.of(new int[] { 2, 3 }, 0.2, 0.3, 0.5, 1, 0, 0));
		assertThat(call.probabilityTarget()).isTrue();
		assertThat(call.meanDivisor()).isEqualTo(2);
	}

	@Test
	void validateWithoutDtypeComputesInTheLogitsDtype() {
		Tensor float32 = new Tensor(new int[] { 1, 2 }, new double[] { 1, 2 }, DType.FLOAT32);
		CrossEntropyCall call = this.validator
			.validate(new CrossEntropyRequest(float32, Tensor.of(new int[] { 1, 2 }, 0.1, 0.9), null,
					Tensor.of(new int[] { 2 }, 0.1, 1), null, null, null, null, null, null));
		assertThat(call.logits().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(call.target().values()).containsExactly((float) 0.1, (float) 0.9);
		assertThat(call.weight().values()).containsExactly((float) 0.1, 1);
	}

	@Test
	void validateWhenLogitsAreMissingOrASingleNumberFails() {
		assertInvalid(() -> validate(null, INDICES), "/logits", "required");
		assertInvalid(() -> validate(Tensor.scalar(1), Tensor.scalar(0)), "/logits", "rank");
	}

	@Test
	void validateWhenAxisIsOutsideTheRankFails() {
		assertInvalid(
				() -> this.validator
					.validate(new CrossEntropyRequest(LOGITS, INDICES, 2, null, null, null, null, null, null, null)),
				"/axis", "out-of-range");
	}

	@Test
	void validateWhenLogitsBreakTheSoftmaxRulesFails() {
		assertInvalid(() -> validate(Tensor.of(new int[] { 1, 2 }, 1, INF), Tensor.of(new int[] { 1 }, 0)),
				"/logits/0/1", "not-finite");
		assertInvalid(() -> validate(Tensor.of(new int[] { 1, 2 }, -INF, -INF), Tensor.of(new int[] { 1 }, 0)),
				"/logits/0", "masked-slice");
	}

	@Test
	void validateWhenTargetIsMissingFails() {
		assertInvalid(() -> validate(LOGITS, null), "/target", "required");
	}

	@Test
	void validateWhenTargetIsShapedLikeNeitherFormFails() {
		assertThat(
				assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 3 }, 0, 1, 2)), "/target", "shape-mismatch")
					.detail())
			.isEqualTo("The target has shape [3] but must be class indices shaped [2] (the logits' shape "
					+ "without the class axis 1) or class probabilities shaped [2, 3] (exactly like the logits).");
		assertThat(assertInvalid(() -> validate(Tensor.of(new int[] { 2 }, 1, 2), Tensor.of(new int[] { 1 }, 0)),
				"/target", "shape-mismatch")
			.detail()).contains("class indices shaped [] (a single number)");
	}

	@Test
	void validateWhenAClassIndexIsNotWholeFailsAtIt() {
		assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, 0, 0.5)), "/target/1", "not-whole");
		assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, INF, 0)), "/target/0", "not-whole");
	}

	@Test
	void validateWhenAClassIndexIsOutOfRangeFailsAtIt() {
		assertThat(assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, 0, 3)), "/target/1", "out-of-range")
			.detail()).isEqualTo(
					"The class index 3 is out of range; use 0 to 2, or ignore_index (-100) to leave this target out.");
		assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, -1, 0)), "/target/0", "out-of-range");
	}

	@Test
	void validateWhenAClassIndexIsPastALongSaysHowLarge() {
		// uint64 2^64-1 reaches the validator as the double 2^64; a cast gave 2^63-1.
		assertThat(assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, 0, 0x1p64)), "/target/1",
				"out-of-range")
			.detail()).startsWith("The class index about 18446744073709551616 is out of range;");
		assertThat(assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, 0, -0x1p63)), "/target/1",
				"out-of-range")
			.detail()).startsWith("The class index about -9223372036854775808 is out of range;");
		assertThat(assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, 0, 0x1p53 - 1)), "/target/1",
				"out-of-range")
			.detail()).startsWith("The class index 9007199254740991 is out of range;");
	}

	@Test
	void validateAcceptsIgnoreIndexAsATarget() {
		CrossEntropyCall call = this.validator.validate(new CrossEntropyRequest(LOGITS,
				Tensor.of(new int[] { 2 }, 7, 1), null, null, 7, null, null, null, null, null));
		assertThat(call.ignoreIndex()).isEqualTo(7);
		assertThat(call.meanDivisor()).isEqualTo(1);
	}

	@Test
	void validateWhenAClassProbabilityIsOutsideZeroToOneFailsAtIt() {
		assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2, 3 }, 0, 0, 1, 0, 1.5, 0)), "/target/1/1",
				"out-of-range");
	}

	@Test
	void validateWhenProbabilityTargetsHaveANonNegativeIgnoreIndexFails() {
		assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(LOGITS,
						Tensor.of(new int[] { 2, 3 }, 0, 0, 1, 0, 1, 0), null, null, 0, null, null, null, null, null)),
				"/ignore_index", "not-allowed");
	}

	@Test
	void validateWhenWeightIsNotOnePerClassFails() {
		assertInvalid(() -> weighted(Tensor.of(new int[] { 2 }, 1, 1)), "/weight", "shape-mismatch");
		assertInvalid(() -> weighted(Tensor.of(new int[] { 1, 3 }, 1, 1, 1)), "/weight", "shape-mismatch");
	}

	@Test
	void validateWhenAWeightIsNegativeOrInfiniteFailsAtIt() {
		assertThat(assertInvalid(() -> weighted(Tensor.of(new int[] { 3 }, 1, -2, 1)), "/weight/1", "out-of-range")
			.detail()).isEqualTo("A class weight must be a finite number >= 0, not -2.0.");
		assertInvalid(() -> weighted(Tensor.of(new int[] { 3 }, 1, 1, INF)), "/weight/2", "not-finite");
	}

	@Test
	void validateWhenLabelSmoothingIsOutsideZeroToOneFails() {
		for (double smoothing : new double[] { -0.1, 1.5, Double.NaN }) {
			assertInvalid(() -> this.validator.validate(
					new CrossEntropyRequest(LOGITS, INDICES, null, null, null, null, smoothing, null, null, null)),
					"/label_smoothing", "out-of-range");
		}
	}

	@Test
	void validateWhenTheTargetClassIsMaskedFailsAtTheTarget() {
		Tensor logits = Tensor.of(new int[] { 1, 2 }, 1, -INF);
		assertInvalid(() -> validate(logits, Tensor.of(new int[] { 1 }, 1)), "/target/0", "masked-target");
		assertInvalid(() -> validate(logits, Tensor.of(new int[] { 1, 2 }, 0.5, 0.5)), "/target/0/1", "masked-target");
		assertThat(validate(logits, Tensor.of(new int[] { 1, 2 }, 1, 0)).probabilityTarget()).isTrue();
	}

	@Test
	void validateWhenLabelSmoothingSharesAMaskedClassFailsAtTheLogit() {
		assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(Tensor.of(new int[] { 1, 2 }, 1, -INF),
						Tensor.of(new int[] { 1 }, 0), null, null, null, null, 0.1, null, null, null)),
				"/logits/0/1", "masked-target");
	}

	@Test
	void validateWhenFullLabelSmoothingSharesAMaskedTargetClassFailsAtTheLogit() {
		// With label_smoothing 1 the target class has no share of its own, only the
		// smoothed one: the fix is the smoothing, not the target.
		assertThat(assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(Tensor.of(new int[] { 1, 2 }, 1, -INF),
						Tensor.of(new int[] { 1 }, 1), null, null, null, null, 1.0, null, null, null)),
				"/logits/0/1", "masked-target")
			.detail()).startsWith("label_smoothing gives every class a share of the target");
	}

	@Test
	void validateWhenLabelSmoothingSharesAMaskedClassOfProbabilityZeroFailsAtTheLogit() {
		assertThat(assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(Tensor.of(new int[] { 1, 2 }, 1, -INF),
						Tensor.of(new int[] { 1, 2 }, 1, 0), null, null, null, null, 0.1, null, null, null)),
				"/logits/0/1", "masked-target")
			.detail()).startsWith("label_smoothing gives every class a share of the target");
	}

	@Test
	void validateWhenAMaskedClassHasTargetProbabilityFailsAtTheTargetWithItsProbability() {
		assertThat(assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(Tensor.of(new int[] { 1, 2 }, 1, -INF),
						Tensor.of(new int[] { 1, 2 }, 0.75, 0.25), null, null, null, null, 0.1, null, null, null)),
				"/target/0/1", "masked-target")
			.detail()).startsWith("Class 1 has target probability 0.25 but is masked");
	}

	@Test
	void validateWhenMeanHasNothingToDivideByFails() {
		assertInvalid(() -> validate(LOGITS, Tensor.of(new int[] { 2 }, -100, -100)), "/target", "mean-undefined");
		assertInvalid(
				() -> this.validator.validate(new CrossEntropyRequest(LOGITS, Tensor.of(new int[] { 2 }, 0, 0), null,
						Tensor.of(new int[] { 3 }, 0, 1, 1), null, null, null, null, null, null)),
				"/weight", "mean-undefined");
		assertThat(this.validator
			.validate(new CrossEntropyRequest(LOGITS, Tensor.of(new int[] { 2 }, -100, -100), null, null, null,
					Reduction.SUM, null, null, null, null))
			.meanDivisor()).isZero();
	}

	@Test
	void validateWithMaskSetsMaskedLogitsToMinusInfinity() {
		CrossEntropyCall call = masked(INDICES, Mask.of(new int[] { 2, 3 }, true, false, true, true, true, true));
		assertThat(call.logits().values()).containsExactly(1, -INF, 3, 4, 5, 6);
		assertThat(LOGITS.values()).containsExactly(1, 2, 3, 4, 5, 6);
	}

	@Test
	void validateWhenMaskMasksTheTargetClassFailsAtTheTarget() {
		assertInvalid(() -> masked(INDICES, Mask.of(new int[] { 2, 3 }, true, true, true, true, true, false)),
				"/target/1", "masked-target");
	}

	@Test
	void validateWhenMaskIsShapedUnlikeTheLogitsFailsAtMask() {
		assertInvalid(() -> masked(INDICES, Mask.of(new int[] { 3 }, true, true, true)), "/mask", "shape-mismatch");
	}

	@Test
	void shareCarriesWeightSmoothingAndIgnoreIndex() {
		Tensor weight = Tensor.of(new int[] { 3 }, 1, 2, 0.5);
		CrossEntropyCall call = new CrossEntropyCall(LOGITS, 1, Tensor.of(new int[] { 2 }, 1, -100), false, weight,
				-100, Reduction.MEAN, 0.3, false);
		Slices slices = Slices.of(LOGITS.shape(), 1);
		assertThat(share(call, slices, 0, 1)).isCloseTo(0.7 * 2 + 0.1 * 2, within(1e-15));
		assertThat(share(call, slices, 0, 2)).isCloseTo(0.1 * 0.5, within(1e-15));
		assertThat(share(call, slices, 1, 0)).isZero();
		assertThat(call.meanDivisor()).isEqualTo(2);
	}

	@Test
	void shareOfProbabilityTargetsIsTheSmoothedTargetTimesTheWeight() {
		CrossEntropyCall call = new CrossEntropyCall(LOGITS, 1, Tensor.of(new int[] { 2, 3 }, 0.2, 0.3, 0.5, 1, 0, 0),
				true, Tensor.of(new int[] { 3 }, 1, 2, 4), -100, Reduction.MEAN, 0.6, false);
		Slices slices = Slices.of(LOGITS.shape(), 1);
		assertThat(share(call, slices, 0, 2)).isCloseTo(4 * (0.4 * 0.5 + 0.2), within(1e-15));
		assertThat(share(call, slices, 1, 1)).isCloseTo(2 * 0.2, within(1e-15));
		assertThat(call.meanDivisor()).isEqualTo(2);
	}

	/** One class's coefficient, from the row {@link CrossEntropyCall#shares} fills. */
	private static double share(CrossEntropyCall call, Slices slices, int position, int c) {
		double[] shares = new double[slices.length()];
		call.shares(slices, position, shares);
		return shares[c];
	}

	private CrossEntropyCall validate(Tensor logits, Tensor target) {
		return this.validator
			.validate(new CrossEntropyRequest(logits, target, null, null, null, null, null, null, null, null));
	}

	private CrossEntropyCall weighted(Tensor weight) {
		return this.validator
			.validate(new CrossEntropyRequest(LOGITS, INDICES, null, weight, null, null, null, null, null, null));
	}

	private CrossEntropyCall masked(Tensor target, Mask mask) {
		return this.validator
			.validate(new CrossEntropyRequest(LOGITS, target, null, null, null, null, null, null, null, mask));
	}

}
