package io.softmaxservice.softmax;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import io.softmaxservice.KernelPath;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties of {@link SoftmaxKernel} that hold for any input: slices sum to 1, adding a
 * constant changes nothing, a small temperature approaches one-hot, large gaps stay
 * finite; each on both paths.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(KernelPath.class)
class SoftmaxKernelTests {

	private final SoftmaxKernel kernel;

	private final KernelPath path;

	SoftmaxKernelTests(KernelPath path) {
		this.kernel = new SoftmaxKernel(path.properties());
		this.path = path;
	}

	private final Random random = new Random(42);

	@ParameterizedTest(name = "axis {0}")
	@ValueSource(ints = { 0, 1, 2 })
	void probabilitiesSumToOneAlongTheAxis(int axis) {
		int[] shape = { 3, 4, 5 };
		Tensor out = this.kernel.apply(randomLogits(shape, 10), axis, 1.0, false);
		int stride = (axis == 2) ? 1 : (axis == 1) ? 5 : 20;
		for (int i = 0; i < out.size(); i++) {
			if ((i / stride) % shape[axis] != 0) {
				continue;
			}
			double sum = 0;
			for (int c = 0; c < shape[axis]; c++) {
				sum += out.get(i + c * stride);
			}
			assertThat(sum).isCloseTo(1.0, within(1e-15));
		}
	}

	@Test
	void addingAConstantChangesNothing() {
		Tensor logits = randomLogits(new int[] { 4, 7 }, 5);
		double[] shifted = logits.values().clone();
		for (int i = 0; i < shifted.length; i++) {
			shifted[i] += 1234.5;
		}
		Tensor a = this.kernel.apply(logits, 1, 0.7, false);
		Tensor b = this.kernel.apply(Tensor.of(logits.shape(), shifted), 1, 0.7, false);
		for (int i = 0; i < a.size(); i++) {
			assertThat(b.get(i)).isCloseTo(a.get(i), within(1e-11 * a.get(i) + 1e-300));
		}
	}

	@Test
	void smallTemperatureApproachesOneHot() {
		Tensor logits = Tensor.of(new int[] { 4 }, 1.0, 1.5, 1.49, -3);
		assertThat(this.kernel.apply(logits, 0, 1.0, false).get(1)).isLessThan(0.5);
		assertThat(this.kernel.apply(logits, 0, 0.01, false).get(1)).isGreaterThan(0.6);
		assertThat(this.kernel.apply(logits, 0, 1e-5, false).values()).containsExactly(0, 1, 0, 0);
	}

	@Test
	void largeGapsStayFinite() {
		Tensor logits = Tensor.of(new int[] { 1, 3 }, -1000, 0, 1000);
		assertThat(this.kernel.apply(logits, 1, 1.0, false).values()).containsExactly(0, 0, 1);
		assertThat(this.kernel.apply(logits, 1, 1.0, true).values()).containsExactly(-2000, -1000, 0);
		assertThat(this.kernel.apply(Tensor.of(new int[] { 2 }, -1e308, 1e308), 0, 0.5, false).values())
			.containsExactly(0, 1);
		assertThat(this.kernel.apply(Tensor.of(new int[] { 2 }, 1000, 1001), 0, 1.0, false).get(1))
			.isCloseTo(1 / (1 + Math.exp(-1)), within(1e-15));
	}

	@Test
	void logSoftmaxWhenShiftOverflowsButResultDoesNotIsFinite() {
		assertThat(this.kernel.apply(Tensor.of(new int[] { 2 }, 1.7e308, -1.7e308), 0, 2.0, true).values())
			.containsExactly(0, -1.7e308);
		assertThat(this.kernel.apply(Tensor.of(new int[] { 3 }, 1e308, -1e308, 0), 0, 1e300, true).values())
			.containsExactly(0, -2e8, -1e8);
		assertThat(this.kernel.apply(Tensor.of(new int[] { 1, 2 }, -1.7e308, 1.7e308), 1, 1e306, false).get(0))
			.isCloseTo(Math.exp(-340), within(1e-12 * Math.exp(-340)));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(DType.class)
	void logSoftmaxWhenResultIsBelowRangeThrowsAtTheLogit(DType dtype) {
		double huge = (dtype == DType.FLOAT32) ? 3e38 : 1.7e308;
		Tensor logits = new Tensor(new int[] { 2, 2 }, new double[] { 0, 1, huge, -huge }, dtype);
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> this.kernel.apply(logits, 1, 1.0, true))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/1/1"));
		assertThat(this.kernel.apply(logits, 1, 1.0, false).values()).containsExactly(dtype.round(1 / (1 + Math.E)),
				dtype.round(1 / (1 + 1 / Math.E)), 1, 0);
	}

	@Test
	void maskedLogitsGetZeroProbabilityAndMinusInfinityLog() {
		Tensor logits = Tensor.of(new int[] { 3 }, 0, Double.NEGATIVE_INFINITY, 0);
		assertThat(this.kernel.apply(logits, 0, 2.0, false).values()).containsExactly(0.5, 0, 0.5);
		assertThat(this.kernel.apply(logits, 0, 2.0, true).values()).containsExactly(-Math.log(2),
				Double.NEGATIVE_INFINITY, -Math.log(2));
	}

	@Test
	void logSoftmaxIsNotLogOfUnderflowedSoftmax() {
		Tensor logits = Tensor.of(new int[] { 2 }, 0, 800);
		assertThat(this.kernel.apply(logits, 0, 1.0, false).get(0)).isZero();
		assertThat(this.kernel.apply(logits, 0, 1.0, true).get(0)).isEqualTo(-800);
	}

	@Test
	void resultKeepsShapeAndDtype() {
		Tensor logits = randomLogits(new int[] { 2, 1, 3 }, 1).as(DType.FLOAT32);
		Tensor out = this.kernel.apply(logits, 2, 1.0, true);
		assertThat(out.shape()).containsExactly(2, 1, 3);
		assertThat(out.dtype()).isEqualTo(DType.FLOAT32);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(DType.class)
	void softmaxOfACallTakesTheBytesItsLogitsLendOnlyOnTheNd4jPath(DType dtype) {
		Tensor logits = randomLogits(new int[] { 3, 2000 }, 4).as(dtype);
		Tensor expected = this.kernel.apply(logits, 1, 0.5, false);
		Tensor lender = owned(logits);
		byte[] lent = lender.bytes().array();
		Tensor out = this.kernel.apply(new SoftmaxCall(lender, 1, 0.5, false));
		for (int i = 0; i < logits.size(); i++) {
			assertThat(out.get(i)).isEqualTo(expected.get(i));
		}
		if (this.path == KernelPath.ND4J) {
			assertThat(out.bytes().array()).isSameAs(lent);
			assertThatIllegalStateException().isThrownBy(lender::values);
		}
		else {
			assertThat(lender.values()).containsExactly(logits.values());
		}
	}

	@Test
	void softmaxOfACallTakesTheValuesItsLogitsLendOnlyOnTheNd4jPath() {
		Tensor logits = randomLogits(new int[] { 3, 2000 }, 4);
		Tensor expected = this.kernel.apply(logits, 1, 0.5, false);
		double[] values = logits.values().clone();
		Tensor lender = Tensor.ofOwnedValues(logits.shape(), values);
		Tensor out = this.kernel.apply(new SoftmaxCall(lender, 1, 0.5, false));
		assertThat(out.values()).containsExactly(expected.values());
		if (this.path == KernelPath.ND4J) {
			assertThat(out.values()).isSameAs(values);
			assertThatIllegalStateException().isThrownBy(lender::values);
		}
		else {
			assertThat(lender.values()).containsExactly(logits.values());
		}
	}

	@Test
	void logSoftmaxOfACallLeavesItsLogitsReadable() {
		Tensor logits = randomLogits(new int[] { 3, 2000 }, 4);
		Tensor lender = owned(logits);
		Tensor out = this.kernel.apply(new SoftmaxCall(lender, 1, 1.0, true));
		assertThat(out.values()).containsExactly(this.kernel.apply(logits, 1, 1.0, true).values());
		assertThat(lender.values()).containsExactly(logits.values());
	}

	@ParameterizedTest(name = "axis {0}")
	@ValueSource(ints = { 0, 1 })
	void termsGiveTheLogProbabilitiesAndProbabilitiesOfApply(int axis) {
		double[] values = randomLogits(new int[] { 3, 2000 }, 30).values().clone();
		values[7] = Double.NEGATIVE_INFINITY;
		values[2000] = -1e4;
		values[4001] = 1e300;
		values[4002] = -1e300;
		Tensor logits = Tensor.of(new int[] { 3, 2000 }, values);
		double[] logp = this.kernel.apply(logits, axis, 1.0, true).values();
		double[] p = this.kernel.apply(logits, axis, 1.0, false).values();
		Slices slices = Slices.of(logits.shape(), axis);
		try (SoftmaxTerms terms = this.kernel.terms(logits, axis)) {
			for (int s = 0; s < slices.count(); s++) {
				double sum = terms.divisor(s);
				assertThat(sum).isBetween(1.0, (double) slices.length());
				for (int c = 0, i = slices.start(s); c < slices.length(); c++, i += slices.stride()) {
					double logProbability = terms.shifted().get(i) - Math.log(sum);
					double probability = terms.exponentials().get(i) / sum;
					assertThat(logProbability).as("log p %d", i)
						.isCloseTo(logp[i], within(1e-13 * Math.max(1, Math.abs(logp[i]))));
					assertThat(Math.abs(probability - p[i])).as("p %d", i).isLessThanOrEqualTo(1e-13 * p[i]);
				}
			}
			assertThat(terms.shifted().get(7)).isEqualTo(Double.NEGATIVE_INFINITY);
			assertThat(terms.exponentials().get(7)).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(DType.class)
	void termsAnswerTakesTheBytesItsLogitsLendOnlyOnTheNd4jPath(DType dtype) {
		Tensor logits = randomLogits(new int[] { 3, 2000 }, 4).as(dtype);
		Tensor lender = owned(logits);
		byte[] lent = lender.bytes().array();
		Tensor answer;
		double[] expected = new double[logits.size()];
		try (SoftmaxTerms terms = this.kernel.terms(lender, 1)) {
			for (int i = 0; i < expected.length; i++) {
				double twice = 2 * terms.exponentials().get(i);
				expected[i] = dtype.round(twice);
				terms.exponentials().put(i, twice);
			}
			answer = terms.answer(dtype, lender);
		}
		assertThat(answer.shape()).containsExactly(3, 2000);
		assertThat(answer.dtype()).isEqualTo(dtype);
		assertThat(answer.values()).containsExactly(expected);
		if (this.path == KernelPath.ND4J) {
			assertThat(answer.bytes().array()).isSameAs(lent);
			assertThatIllegalStateException().isThrownBy(lender::values);
		}
		else {
			assertThat(lender.values()).containsExactly(logits.values());
		}
	}

	/** The tensor over bytes of its own, as a binary reader makes it. */
	private static Tensor owned(Tensor tensor) {
		int width = (tensor.dtype() == DType.FLOAT64) ? 8 : 4;
		ByteBuffer bytes = ByteBuffer.allocate(tensor.size() * width).order(ByteOrder.nativeOrder());
		for (int i = 0; i < tensor.size(); i++) {
			if (width == 8) {
				bytes.putDouble(tensor.get(i));
			}
			else {
				bytes.putFloat((float) tensor.get(i));
			}
		}
		bytes.flip();
		return Tensor.ofOwnedBytes(tensor.shape(), bytes, tensor.dtype(), TensorBytes.checkFloats(bytes, width, null));
	}

	private Tensor randomLogits(int[] shape, double scale) {
		double[] values = new double[(int) Tensor.elementCount(shape)];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.random.nextGaussian() * scale;
		}
		return Tensor.of(shape, values);
	}

}
