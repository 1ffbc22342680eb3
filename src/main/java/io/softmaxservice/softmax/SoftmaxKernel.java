package io.softmaxservice.softmax;

import java.util.Locale;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WarmUp;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Softmax and log-softmax along any axis in float64, stable for any finite logits and any
 * temperature: small tensors in plain Java ({@link SmallSoftmax}), larger ones with ND4J
 * ({@link Nd4jSoftmax}), with the same formulas.
 *
 * <p>
 * With {@code m} the maximum along the axis, {@code z = (x - m) / T} is at most 0, so
 * {@code exp(z)} never overflows and the largest term of every sum is exactly 1:
 * {@code softmax(x / T) = exp(z) / sum(exp(z))}. Shifting before dividing keeps
 * {@code x / T} from overflowing for a small {@code T}, and {@code x - m} is halved where
 * it would overflow. Log-softmax is {@code z - log(sum(exp(z)))} (log-sum-exp), never
 * {@code log(softmax)}, which would give {@code -Infinity} wherever a probability
 * underflows. A masked logit ({@code -Infinity}) gives {@code z = -Infinity}, probability
 * 0 and log-probability {@code -Infinity}; a finite logit whose log-probability is out of
 * the dtype's range is refused.
 */
@Component
@EnableConfigurationProperties(KernelProperties.class)
public class SoftmaxKernel implements WarmUp {

	private final KernelProperties properties;

	private final Nd4jThreads threads;

	public SoftmaxKernel(KernelProperties properties) {
		this.properties = properties;
		this.threads = new Nd4jThreads(properties);
	}

	/**
	 * Softmax or log-softmax of a checked request, whose logits are not read again: a
	 * softmax is written into their bytes if they lend them ({@link Tensor#lendBytes}),
	 * and they are unreadable afterwards. (A log-softmax reads its logits once more, to
	 * tell an overflow from a masked class, so it never borrows them.)
	 * @param call what to compute
	 * @return a tensor of the logits' shape and dtype
	 */
	public Tensor apply(SoftmaxCall call) {
		if (!call.log()) {
			Tensor logits = call.logits();
			return compute(logits, call.axis(), call.temperature(), false, logits.dtype(), logits);
		}
		return apply(call.logits(), call.axis(), call.temperature(), call.log());
	}

	/**
	 * Softmax or log-softmax of a tensor.
	 * @param logits the input: finite values or -Infinity, no slice all -Infinity
	 * @param axis the normalised axis along which outputs sum to 1
	 * @param temperature a finite number above 0
	 * @param log whether to return log-softmax
	 * @return a tensor of the input's shape and dtype
	 * @throws InvalidInputException if a log-probability overflows the dtype
	 */
	public Tensor apply(Tensor logits, int axis, double temperature, boolean log) {
		Tensor out = compute(logits, axis, temperature, log, logits.dtype(), null);
		if (log) {
			requireFinite(logits, out);
		}
		return out;
	}

	@Override
	public void warmUp() {
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, -1000, 0, Double.NEGATIVE_INFINITY);
		apply(new SoftmaxCall(logits, 1, 1.0, false));
		apply(new SoftmaxCall(logits, 0, 0.5, true));
	}

	/**
	 * {@code softmax(x / T)} along an axis, in float64.
	 * @param logits the input, as for {@link #apply}
	 * @param axis the normalised axis
	 * @param temperature a finite number above 0
	 * @return the probabilities in row-major order
	 */
	public double[] probabilities(Tensor logits, int axis, double temperature) {
		if (this.properties.inPlainJava(logits.size())) {
			return compute(logits, axis, temperature, false, DType.FLOAT64, null).values();
		}
		try (Nd4jThreads.Computation computation = this.threads.start(logits.size());
				INDArray z = Nd4jTensors.toArray(logits)) {
			Nd4jSoftmax.softmaxInPlace(z, axis, temperature);
			return Nd4jTensors.toTensor(z, DType.FLOAT64).values();
		}
	}

	/**
	 * The terms of {@code softmax(x)} and {@code log_softmax(x)} along an axis, in
	 * float64, for a kernel that needs both or reads them once: {@code z = x - c},
	 * {@code exp(z)} and each slice's divisor {@code s} (then {@code p = exp(z) / s},
	 * {@code log p = z - log(s)}; -Infinity and 0 for masked logits).
	 * @param logits the input, as for {@link #apply}
	 * @param axis the normalised axis
	 * @return the terms, which the caller must close
	 */
	public SoftmaxTerms terms(Tensor logits, int axis) {
		if (this.properties.inPlainJava(logits.size())) {
			return SmallSoftmax.terms(logits.values(), logits.shape(), Slices.of(logits.shape(), axis));
		}
		try (Nd4jThreads.Computation computation = this.threads.start(logits.size())) {
			INDArray z = Nd4jTensors.toArray(logits);
			INDArray exp = null;
			try {
				exp = Nd4jSoftmax.shiftAndExp(z, axis);
				try (INDArray sum = exp.sum(true, axis)) {
					return SoftmaxTerms.ofNd4j(logits.shape(), z, exp,
							Nd4jTensors.toTensor(sum, DType.FLOAT64).values());
				}
			}
			catch (RuntimeException ex) {
				z.close();
				if (exp != null) {
					exp.close();
				}
				throw ex;
			}
		}
	}

	/**
	 * {@code softmax(x / T)} along an axis, as a new array the caller must close.
	 * @param x the logits
	 * @param axis the axis
	 * @param temperature the temperature
	 * @return the probabilities
	 */
	public INDArray softmax(INDArray x, int axis, double temperature) {
		INDArray z = x.dup('c');
		Nd4jSoftmax.softmaxInPlace(z, axis, temperature);
		return z;
	}

	/**
	 * {@code softmax(x / T)} along an axis, replacing the logits of an array the caller
	 * owns.
	 * @param z the logits, then the probabilities
	 * @param axis the axis
	 * @param temperature the temperature
	 */
	public void softmaxInPlace(INDArray z, int axis, double temperature) {
		Nd4jSoftmax.softmaxInPlace(z, axis, temperature);
	}

	/**
	 * {@code log_softmax(x / T)} along an axis, as a new array the caller must close.
	 * @param x the logits
	 * @param axis the axis
	 * @param temperature the temperature
	 * @return the log-probabilities
	 */
	public INDArray logSoftmax(INDArray x, int axis, double temperature) {
		INDArray z = x.dup('c');
		Nd4jSoftmax.logSoftmaxInPlace(z, axis, temperature);
		return z;
	}

	/**
	 * Computes in float64 and rounds the answer to its dtype; with ND4J it is copied out
	 * as the bytes of its dtype, which a binary answer writes as they are, into the
	 * lender's bytes if it lends them.
	 */
	private Tensor compute(Tensor logits, int axis, double temperature, boolean log, DType dtype,
			@Nullable Tensor lender) {
		if (this.properties.inPlainJava(logits.size())) {
			double[] values = SmallSoftmax.compute(logits.values(), Slices.of(logits.shape(), axis), temperature, log);
			for (int i = 0; i < values.length; i++) {
				values[i] = dtype.round(values[i]);
			}
			return new Tensor(logits.shape(), values, dtype);
		}
		try (Nd4jThreads.Computation computation = this.threads.start(logits.size());
				INDArray z = Nd4jTensors.toArray(logits)) {
			if (log) {
				Nd4jSoftmax.logSoftmaxInPlace(z, axis, temperature);
			}
			else {
				Nd4jSoftmax.softmaxInPlace(z, axis, temperature);
			}
			return Nd4jTensors.toAnswer(z, dtype, lender);
		}
	}

	/**
	 * Refuses a log-probability of a finite logit that is {@code -Infinity} in the dtype:
	 * its true value lies below the range ({@code [1.7e308, -1.7e308]} at temperature 1),
	 * and {@code -Infinity} would read as a masked class.
	 */
	private static void requireFinite(Tensor logits, Tensor logProbabilities) {
		DType dtype = logits.dtype();
		for (int i = 0; i < logProbabilities.size(); i++) {
			if (dtype.round(logProbabilities.get(i)) == Double.NEGATIVE_INFINITY
					&& logits.get(i) != Double.NEGATIVE_INFINITY) {
				throw new InvalidInputException(logits.pointer("/logits", i),
						"The log-probability of this logit is " + "below the " + dtype.name().toLowerCase(Locale.ROOT)
								+ " range; raise the temperature or " + "send logits with a smaller range.",
						"overflow");
			}
		}
	}

}
