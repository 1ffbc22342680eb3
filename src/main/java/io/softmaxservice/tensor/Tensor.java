package io.softmaxservice.tensor;

import java.util.Arrays;

/**
 * A dense tensor: a shape and its values in row-major order, held in one primitive array
 * so that it can be handed to ND4J with a single copy.
 *
 * <p>
 * Values are doubles whatever the {@link DType}; a float32 tensor holds values already
 * rounded to float and is written back as floats.
 */
public final class Tensor {

	/** The largest rank a tensor may have. */
	public static final int MAX_RANK = 8;

	private final int[] shape;

	private final double[] values;

	private final DType dtype;

	/**
	 * Creates a tensor over the given values, which it takes ownership of.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param values the values in row-major order, as many as the shape holds
	 * @param dtype how the values are to be read and written
	 */
	public Tensor(int[] shape, double[] values, DType dtype) {
		if (elementCount(shape) != values.length) {
			throw new IllegalArgumentException(
					"Shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
		}
		this.shape = shape.clone();
		this.values = values;
		this.dtype = dtype;
	}

	/**
	 * Creates a float64 tensor.
	 * @param shape the dimensions
	 * @param values the values in row-major order
	 * @return the tensor
	 */
	public static Tensor of(int[] shape, double... values) {
		return new Tensor(shape, values, DType.FLOAT64);
	}

	/**
	 * Creates a float64 scalar.
	 * @param value the value
	 * @return a rank-0 tensor
	 */
	public static Tensor scalar(double value) {
		return new Tensor(new int[0], new double[] { value }, DType.FLOAT64);
	}

	public int rank() {
		return this.shape.length;
	}

	public int[] shape() {
		return this.shape.clone();
	}

	public long[] longShape() {
		return Arrays.stream(this.shape).asLongStream().toArray();
	}

	public int dim(int axis) {
		return this.shape[axis];
	}

	public int size() {
		return this.values.length;
	}

	public DType dtype() {
		return this.dtype;
	}

	public double get(int index) {
		return this.values[index];
	}

	/**
	 * The backing array, shared, not copied: callers must not modify it.
	 * @return the values in row-major order
	 */
	public double[] values() {
		return this.values;
	}

	/**
	 * Returns this tensor in another dtype, with its values rounded to the new type
	 * ({@link DType#round}). This tensor is left unchanged: the rounded values are a
	 * copy, so a tensor may be shared by several callers.
	 * @param target the dtype wanted
	 * @return this tensor if it has that dtype, else a new tensor
	 */
	public Tensor as(DType target) {
		if (target == this.dtype) {
			return this;
		}
		double[] converted = this.values;
		if (target == DType.FLOAT32) {
			converted = new double[this.values.length];
			for (int i = 0; i < converted.length; i++) {
				converted[i] = target.round(this.values[i]);
			}
		}
		return new Tensor(this.shape, converted, target);
	}

	/**
	 * The position of one element along every axis.
	 * @param index the element's row-major index
	 * @return its coordinates, outermost first
	 */
	public int[] coordinates(int index) {
		int[] position = new int[this.shape.length];
		int rest = index;
		for (int axis = this.shape.length - 1; axis >= 0; axis--) {
			position[axis] = rest % this.shape[axis];
			rest /= this.shape[axis];
		}
		return position;
	}

	/**
	 * The RFC 6901 pointer to one element, below the pointer of the tensor itself.
	 * @param root the pointer to the tensor, e.g. {@code /logits}
	 * @param index the element's row-major index
	 * @return e.g. {@code /logits/1/2}
	 */
	public String pointer(String root, int index) {
		StringBuilder pointer = new StringBuilder(root);
		for (int coordinate : coordinates(index)) {
			pointer.append('/').append(coordinate);
		}
		return pointer.toString();
	}

	/**
	 * The number of elements a shape holds.
	 * @param shape the dimensions
	 * @return their product (1 for a scalar)
	 */
	public static long elementCount(int[] shape) {
		long count = 1;
		for (int dim : shape) {
			count *= dim;
		}
		return count;
	}

	@Override
	public String toString() {
		return "Tensor" + Arrays.toString(this.shape) + " " + this.dtype;
	}

}
