package io.softmaxservice.gradient;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.DoubleStream;

import io.softmaxservice.KernelPath;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties of {@link SoftmaxGradKernel} that hold whatever the reference: the
 * vector-Jacobian product is {@code J^T g}, Jacobian rows sum to 0, the point may be
 * given three ways, and huge gaps or huge upstream gradients stay finite.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(KernelPath.class)
class SoftmaxGradKernelTests {

	private final SoftmaxGradKernel kernel;

	SoftmaxGradKernelTests(KernelPath path) {
		this.kernel = new SoftmaxGradKernel(new SoftmaxKernel(path.properties()));
	}

	private final Random random = new Random(20261123);

	@ParameterizedTest(name = "shape {0}, axis {1}, log {2}")
	@CsvSource(delimiter = '|', textBlock = """
			4       | 0 | false
			4       | 0 | true
			3,5     | 0 | false
			3,5     | 1 | true
			2,3,4   | 1 | false
			2,3,4   | 1 | true
			2,3,4   | 0 | true
			2,3,4   | 2 | false
			""")
	void vjpEqualsJacobianTransposedTimesGradOutput(String dims, int axis, boolean log) {
		int[] shape = Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
		Tensor x = randomTensor(shape, 3);
		Tensor g = randomTensor(shape, 2);
		double t = 0.7;
		Tensor vjp = this.kernel.vjp(new SoftmaxGradCall(Point.LOGITS, x, g, Mode.VJP, axis, t, log));
		Tensor jacobian = this.kernel.jacobian(new SoftmaxGradCall(Point.LOGITS, x, null, Mode.JACOBIAN, axis, t, log));
		Slices slices = Slices.of(shape, axis);
		int c = slices.length();
		for (int s = 0; s < slices.count(); s++) {
			// Jacobian blocks are in the order of the point's indexes without the axis,
			// which is the slice order (outer, then inner).
			int block = s * c * c;
			int start = slices.start(s);
			for (int j = 0; j < c; j++) {
				double expected = 0;
				for (int i = 0; i < c; i++) {
					expected += g.get(start + i * slices.stride()) * jacobian.get(block + i * c + j);
				}
				assertThat(vjp.get(start + j * slices.stride())).isCloseTo(expected, within(1e-13));
			}
		}
	}

	@Test
	void jacobianRowsSumToZeroAndSoftmaxJacobianIsSymmetric() {
		Tensor x = randomTensor(new int[] { 3, 6 }, 4);
		for (boolean log : new boolean[] { false, true }) {
			Tensor jacobian = this.kernel
				.jacobian(new SoftmaxGradCall(Point.LOGITS, x, null, Mode.JACOBIAN, 1, 1.0, log));
			assertThat(jacobian.shape()).containsExactly(3, 6, 6);
			for (int m = 0; m < 3; m++) {
				for (int i = 0; i < 6; i++) {
					double row = 0;
					for (int j = 0; j < 6; j++) {
						row += jacobian.get(m * 36 + i * 6 + j);
						if (!log) {
							assertThat(jacobian.get(m * 36 + i * 6 + j)).isEqualTo(jacobian.get(m * 36 + j * 6 + i));
						}
					}
					assertThat(row).isCloseTo(0.0, within(1e-15));
				}
			}
		}
	}

	@Test
	void jacobianOfRankOneIsSquare() {
		Tensor jacobian = this.kernel.jacobian(new SoftmaxGradCall(Point.LOGITS, Tensor.of(new int[] { 2 }, 0, 0), null,
				Mode.JACOBIAN, 0, 2.0, false));
		assertThat(jacobian.shape()).containsExactly(2, 2);
		assertThat(jacobian.values()).containsExactly(0.125, -0.125, -0.125, 0.125);
	}

	@Test
	void vjpIsTheSameWhicheverWayThePointIsGiven() {
		double[] x = { 0.3, -1.2, 2.0, 0.0 };
		double[] y = new double[x.length];
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			sum += Math.exp(x[i] / 2);
		}
		double[] logY = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			y[i] = Math.exp(x[i] / 2) / sum;
			logY[i] = Math.log(y[i]);
		}
		int[] shape = { 4 };
		Tensor g = Tensor.of(shape, 1, -2, 0.5, 3);
		for (boolean log : new boolean[] { false, true }) {
			Tensor fromLogits = this.kernel
				.vjp(new SoftmaxGradCall(Point.LOGITS, Tensor.of(shape, x), g, Mode.VJP, 0, 2.0, log));
			Tensor fromProbabilities = this.kernel
				.vjp(new SoftmaxGradCall(Point.PROBABILITIES, Tensor.of(shape, y), g, Mode.VJP, 0, 2.0, log));
			Tensor fromLogProbabilities = this.kernel
				.vjp(new SoftmaxGradCall(Point.LOG_PROBABILITIES, Tensor.of(shape, logY), g, Mode.VJP, 0, 2.0, log));
			for (int i = 0; i < x.length; i++) {
				assertThat(fromProbabilities.get(i)).isCloseTo(fromLogits.get(i), within(1e-15));
				assertThat(fromLogProbabilities.get(i)).isCloseTo(fromLogits.get(i), within(1e-15));
			}
		}
	}

	@Test
	void vjpAndJacobianFromHugeGapsAreFinite() {
		Tensor x = Tensor.of(new int[] { 1, 3 }, -1000, 0, 1000);
		Tensor g = Tensor.of(new int[] { 1, 3 }, 1, 2, 3);
		for (boolean log : new boolean[] { false, true }) {
			Tensor vjp = this.kernel.vjp(new SoftmaxGradCall(Point.LOGITS, x, g, Mode.VJP, 1, 0.5, log));
			Tensor jacobian = this.kernel
				.jacobian(new SoftmaxGradCall(Point.LOGITS, x, null, Mode.JACOBIAN, 1, 0.5, log));
			assertThat(DoubleStream.of(vjp.values()).allMatch(Double::isFinite)).isTrue();
			assertThat(DoubleStream.of(jacobian.values()).allMatch(Double::isFinite)).isTrue();
		}
		// y = [0, 0, 1]: log-softmax's Jacobian is δ_ij - y_j, softmax's is all 0.
		assertThat(
				this.kernel.jacobian(new SoftmaxGradCall(Point.LOGITS, x, null, Mode.JACOBIAN, 1, 1.0, true)).values())
			.containsExactly(1, 0, -1, 0, 1, -1, 0, 0, 0);
	}

	@Test
	void vjpAndJacobianWhenShiftOverflowsUseTheExactSoftmax() {
		// x - max overflows for the second logit, yet z = (x - max) / T = -340.
		Tensor x = Tensor.of(new int[] { 2 }, 1.7e308, -1.7e308);
		double y = Math.exp(-340);
		double t = 1e306;
		Tensor grad = this.kernel
			.vjp(new SoftmaxGradCall(Point.LOGITS, x, Tensor.of(new int[] { 2 }, 0, 1), Mode.VJP, 0, t, false));
		assertThat(grad.get(1)).isCloseTo(y / t, within(1e-12 * y / t));
		Tensor jacobian = this.kernel.jacobian(new SoftmaxGradCall(Point.LOGITS, x, null, Mode.JACOBIAN, 0, t, true));
		assertThat(jacobian.get(1)).isCloseTo(-y / t, within(1e-12 * y / t));
	}

	@Test
	void vjpWithUpstreamGradientsNearTheLargestDoubleDoesNotOverflow() {
		// sum(g) overflows unless g is scaled; the true answer is g - y * sum(g) =
		// [-1e306, 1e306].
		Tensor x = Tensor.of(new int[] { 2 }, 0, 0);
		Tensor g = Tensor.of(new int[] { 2 }, 1.7e308, 1.72e308);
		Tensor grad = this.kernel.vjp(new SoftmaxGradCall(Point.LOGITS, x, g, Mode.VJP, 0, 1.0, true));
		assertThat(grad.get(0)).isCloseTo(-1e306, within(1e293));
		assertThat(grad.get(1)).isCloseTo(1e306, within(1e293));
	}

	private Tensor randomTensor(int[] shape, double scale) {
		double[] values = new double[(int) Tensor.elementCount(shape)];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.random.nextGaussian() * scale;
		}
		return Tensor.of(shape, values);
	}

}
