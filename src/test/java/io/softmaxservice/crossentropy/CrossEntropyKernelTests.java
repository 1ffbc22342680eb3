package io.softmaxservice.crossentropy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.softmaxservice.KernelPath;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * The cross-entropy kernel without HTTP: stability, gradient identities and reductions.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(KernelPath.class)
class CrossEntropyKernelTests {

	private final CrossEntropyKernel kernel;

	private final KernelPath path;

	CrossEntropyKernelTests(KernelPath path) {
		this.kernel = new CrossEntropyKernel(new SoftmaxKernel(path.properties()));
		this.path = path;
	}

	@Test
	void crossEntropyOfHugeGapIsExactly2000() {
		CrossEntropyResponse response = apply(request(Tensor.of(new int[] { 1, 3 }, -1000, 0, 1000),
				Tensor.of(new int[] { 1 }, 0), null, 0.0, Reduction.MEAN, true));
		assertThat(response.loss().rank()).isZero();
		assertThat(response.loss().get(0)).isEqualTo(2000.0);
		assertThat(response.gradLogits().values()).containsExactly(-1.0, 0.0, 1.0);
	}

	@Test
	void crossEntropyGradientRowsSumToZeroWithoutWeights() {
		Tensor logits = Tensor.of(new int[] { 3, 4 }, 1, 2, 3, 4, -5, 0.5, 7, 2, 0, 0, 0, 0);
		CrossEntropyResponse response = apply(
				request(logits, Tensor.of(new int[] { 3 }, 3, 0, 2), null, 0.1, Reduction.SUM, true));
		double[] grad = response.gradLogits().values();
		for (int row = 0; row < 3; row++) {
			double sum = 0;
			for (int c = 0; c < 4; c++) {
				sum += grad[row * 4 + c];
			}
			assertThat(sum).as("row %d", row).isCloseTo(0.0, within(1e-15));
		}
		assertThat(grad[3]).isNegative();
	}

	@Test
	void crossEntropyMeanIsSumOverSummedTargetWeights() {
		Tensor logits = Tensor.of(new int[] { 2, 2 }, 0, 0, 0, 0);
		Tensor target = Tensor.of(new int[] { 2 }, 0, 1);
		Tensor weight = Tensor.of(new int[] { 2 }, 1, 3);
		double sum = apply(request(logits, target, weight, 0.0, Reduction.SUM, false)).loss().get(0);
		double mean = apply(request(logits, target, weight, 0.0, Reduction.MEAN, false)).loss().get(0);
		assertThat(sum).isCloseTo(4 * Math.log(2), within(1e-15));
		assertThat(mean).isCloseTo(Math.log(2), within(1e-15));
	}

	@Test
	void crossEntropyIgnoredTargetHasZeroLossAndGradient() {
		Tensor logits = Tensor.of(new int[] { 2, 2 }, 1, 2, 3, 4);
		CrossEntropyResponse response = apply(
				request(logits, Tensor.of(new int[] { 2 }, -100, 1), null, 0.2, Reduction.NONE, true));
		assertThat(response.loss().shape()).containsExactly(2);
		assertThat(response.loss().get(0)).isZero();
		assertThat(response.gradLogits().get(0)).isZero();
		assertThat(response.gradLogits().get(1)).isZero();
		assertThat(response.loss().get(1)).isPositive();
	}

	@Test
	void crossEntropyWhenShiftOverflowsOnAClassWithoutShareIsExact() {
		Tensor logits = Tensor.of(new int[] { 1, 3 }, 1.7e308, -1.7e308, 0);
		CrossEntropyResponse response = apply(
				request(logits, Tensor.of(new int[] { 1 }, 0), null, 0.0, Reduction.MEAN, true));
		assertThat(response.loss().get(0)).isZero();
		assertThat(response.gradLogits().values()).containsExactly(0, 0, 0);
	}

	@Test
	void crossEntropyWhenLossOverflowsThrowsOverflow() {
		// Label smoothing gives the class 1.7e308 below the maximum a share: its
		// log-probability, -3.4e308, is out of range (PyTorch: inf).
		Tensor logits = Tensor.of(new int[] { 1, 2 }, 1.7e308, -1.7e308);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> apply(request(logits, Tensor.of(new int[] { 1 }, 0), null, 0.1, Reduction.MEAN, false)))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"));
	}

	@Test
	void crossEntropyOfManyClassesSumsAccurately() {
		int classes = 1 << 20;
		double[] values = new double[classes];
		Tensor logits = Tensor.of(new int[] { 1, classes }, values);
		CrossEntropyResponse response = apply(
				request(logits, Tensor.of(new int[] { 1 }, 7), null, 1.0, Reduction.MEAN, false));
		assertThat(response.loss().get(0)).isCloseTo(Math.log(classes), within(1e-12 * Math.log(classes)));
	}

	@Test
	void crossEntropyInFloat32IsRoundedToFloat() {
		Tensor logits = new Tensor(new int[] { 3 }, new double[] { 0.1f, 0.2f, 0.3f }, DType.FLOAT32);
		CrossEntropyResponse response = apply(request(logits, Tensor.scalar(2), null, 0.0, Reduction.MEAN, true));
		assertThat(response.loss().dtype()).isEqualTo(DType.FLOAT32);
		assertThat(response.gradLogits().dtype()).isEqualTo(DType.FLOAT32);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(DType.class)
	void crossEntropyGradientTakesTheBytesItsLogitsLendOnlyOnTheNd4jPath(DType dtype) {
		java.util.Random random = new java.util.Random(3);
		double[] values = new double[3 * 2000];
		for (int i = 0; i < values.length; i++) {
			values[i] = dtype.round(random.nextGaussian() * 5);
		}
		Tensor logits = new Tensor(new int[] { 3, 2000 }, values, dtype);
		Tensor target = Tensor.of(new int[] { 3 }, 1999, 0, 7);
		CrossEntropyResponse expected = apply(request(logits, target, null, 0.1, Reduction.MEAN, true));
		int width = (dtype == DType.FLOAT64) ? 8 : 4;
		ByteBuffer bytes = ByteBuffer.allocate(values.length * width).order(ByteOrder.nativeOrder());
		for (double value : values) {
			if (width == 8) {
				bytes.putDouble(value);
			}
			else {
				bytes.putFloat((float) value);
			}
		}
		bytes.flip();
		Tensor lender = Tensor.ofOwnedBytes(logits.shape(), bytes, dtype, TensorBytes.checkFloats(bytes, width, null));
		CrossEntropyResponse response = apply(request(lender, target, null, 0.1, Reduction.MEAN, true));
		assertThat(response.loss().values()).containsExactly(expected.loss().values());
		assertThat(response.gradLogits().dtype()).isEqualTo(dtype);
		assertThat(response.gradLogits().values()).containsExactly(expected.gradLogits().values());
		if (this.path == KernelPath.ND4J) {
			assertThat(response.gradLogits().bytes().array()).isSameAs(bytes.array());
			assertThatIllegalStateException().isThrownBy(lender::values);
		}
		else {
			assertThat(lender.values()).containsExactly(values);
		}
	}

	private CrossEntropyResponse apply(CrossEntropyRequest request) {
		return this.kernel.apply(new CrossEntropyValidator().validate(request));
	}

	private static CrossEntropyRequest request(Tensor logits, Tensor target, Tensor weight, double smoothing,
			Reduction reduction, boolean grad) {
		return new CrossEntropyRequest(logits, target, null, weight, null, reduction, smoothing, grad, logits.dtype(),
				null);
	}

}
