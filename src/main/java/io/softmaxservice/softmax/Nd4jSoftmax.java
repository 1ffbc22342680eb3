package io.softmaxservice.softmax;

import io.softmaxservice.tensor.Nd4jTensors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax and log-softmax with ND4J, in place and with as few passes over the array as
 * the formulas of {@link SmallSoftmax} allow: no temporary array for softmax, and
 * in-place broadcasts (an allocating {@code x.sub(max)} costs ten times the whole
 * {@code SoftMax} op on large arrays).
 *
 * <p>
 * ND4J's {@code SoftMax} op computes {@code exp(x - max) / sum} itself, exactly for any
 * finite input and for {@code -Infinity}; at {@code T = 1} it is the whole computation.
 * Otherwise the explicit shift {@code (x - max) / T} comes first (dividing first could
 * overflow for {@code T < 1}, and would lose the digits of nearby large logits). Where
 * {@code x - max} can overflow although the result is finite (log-softmax above
 * {@code T = 1}; softmax only above {@code T = 1e300}, where an overflowed shift could
 * still have a probability above 0) the array is halved first:
 * {@code (x/2 - max/2) / (T/2)}, exact for {@code T > 1}. ND4J's {@code LogSoftMax} op is
 * not used: it computes {@code log(softmax)}, {@code -Infinity} wherever a probability
 * underflows.
 */
final class Nd4jSoftmax {

	/**
	 * Above this temperature a shift that overflowed ({@code x - max < -1.8e308}) can
	 * still give a probability above 0: {@code exp(-1.8e308 / T)} underflows only while
	 * {@code T < 2.4e305}.
	 */
	private static final double SOFTMAX_HALVING_TEMPERATURE = 1e300;

	private Nd4jSoftmax() {
	}

	/**
	 * Replaces logits by {@code softmax(x / T)} along the axis.
	 * @param z a float64 array the caller owns
	 * @param axis the axis
	 * @param temperature a number above 0
	 */
	static void softmaxInPlace(INDArray z, int axis, double temperature) {
		if (temperature != 1.0) {
			shiftAndScale(z, axis, temperature, temperature > SOFTMAX_HALVING_TEMPERATURE);
		}
		Nd4j.exec(new SoftMax(z, z, axis));
	}

	/**
	 * Replaces logits by {@code log_softmax(x / T)} along the axis:
	 * {@code z - log(sum(exp(z)))}.
	 * @param z a float64 array the caller owns
	 * @param axis the axis
	 * @param temperature a number above 0
	 */
	static void logSoftmaxInPlace(INDArray z, int axis, double temperature) {
		shiftAndScale(z, axis, temperature, temperature > 1.0);
		try (INDArray exp = Transforms.exp(z, true); INDArray logSum = exp.sum(true, axis)) {
			Transforms.log(logSum, false);
			z.subi(logSum);
		}
	}

	/**
	 * The terms of a softmax at {@code T = 1} ({@link SoftmaxTerms}): replaces logits by
	 * {@code z = x - max} along the axis and returns {@code exp(z)}, the array whose sums
	 * {@code log_softmax} takes, in memory the exponentials fill without zeroing it
	 * first.
	 * @param z a float64 array the caller owns
	 * @param axis the axis
	 * @return the exponentials, a new array the caller must close
	 */
	static INDArray shiftAndExp(INDArray z, int axis) {
		shiftAndScale(z, axis, 1.0, false);
		INDArray exp = Nd4jTensors.uninitialised(z.shape());
		try {
			Nd4j.exec(new Exp(z, exp));
		}
		catch (RuntimeException ex) {
			exp.close();
			throw ex;
		}
		return exp;
	}

	/** {@code z = (z - max) / T} along the axis, in place, halved first if asked. */
	private static void shiftAndScale(INDArray z, int axis, double temperature, boolean halve) {
		if (halve) {
			z.muli(0.5);
		}
		try (INDArray max = z.max(true, axis)) {
			z.subi(max);
		}
		double divisor = halve ? temperature * 0.5 : temperature;
		if (divisor != 1.0) {
			z.divi(divisor);
		}
	}

}
