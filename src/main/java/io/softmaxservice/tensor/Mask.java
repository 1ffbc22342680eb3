package io.softmaxservice.tensor;

import java.util.Arrays;

/**
 * A boolean tensor that masks classes out: {@code false} masks an element exactly as a
 * {@code -Infinity} logit does, for clients that cannot write non-finite numbers.
 */
public final class Mask {

	private final int[] shape;

	private final boolean[] keep;

	/**
	 * Creates a mask over the given values, which it takes ownership of.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param keep per element in row-major order: true keeps it, false masks it out
	 */
	public Mask(int[] shape, boolean[] keep) {
		if (Tensor.elementCount(shape) != keep.length) {
			throw new IllegalArgumentException(
					"Shape " + Arrays.toString(shape) + " does not hold " + keep.length + " values");
		}
		this.shape = shape.clone();
		this.keep = keep;
	}

	/**
	 * Creates a mask.
	 * @param shape the dimensions
	 * @param keep the values in row-major order
	 * @return the mask
	 */
	public static Mask of(int[] shape, boolean... keep) {
		return new Mask(shape, keep);
	}

	public int[] shape() {
		return this.shape.clone();
	}

	public int size() {
		return this.keep.length;
	}

	/**
	 * Whether an element is kept.
	 * @param index its row-major index
	 * @return false if the mask masks it out
	 */
	public boolean keeps(int index) {
		return this.keep[index];
	}

	/**
	 * A copy of a tensor of the same shape with the masked elements replaced.
	 * @param tensor the tensor, shaped like this mask
	 * @param masked the value of a masked element
	 * @return the tensor itself if nothing is masked, else a new tensor of its dtype
	 */
	Tensor apply(Tensor tensor, double masked) {
		double[] values = null;
		for (int i = 0; i < this.keep.length; i++) {
			if (!this.keep[i]) {
				if (values == null) {
					values = tensor.values().clone();
				}
				values[i] = masked;
			}
		}
		return (values != null) ? new Tensor(this.shape, values, tensor.dtype()) : tensor;
	}

	@Override
	public String toString() {
		return "Mask" + Arrays.toString(this.shape);
	}

}
