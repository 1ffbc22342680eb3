package io.softmaxservice.tensor;

/**
 * The layout of a row-major tensor around one axis: {@code outer} blocks, each holding
 * {@code length} slices of {@code inner} contiguous elements. Element {@code (o, c, i)} —
 * block o, position c along the axis, offset i — sits at
 * {@code (o * length + c) * inner + i}, and the slice through it along the axis is the
 * {@code length} elements {@code inner} apart.
 *
 * @param outer the product of the dimensions before the axis
 * @param length the dimension of the axis
 * @param inner the product of the dimensions after the axis
 */
public record Slices(int outer, int length, int inner) {

	/**
	 * The layout of a shape around an axis.
	 * @param shape the tensor's shape
	 * @param axis a normalised axis in {@code [0, rank)}
	 * @return the layout
	 */
	public static Slices of(int[] shape, int axis) {
		int outer = 1;
		for (int a = 0; a < axis; a++) {
			outer *= shape[a];
		}
		int inner = 1;
		for (int a = axis + 1; a < shape.length; a++) {
			inner *= shape[a];
		}
		return new Slices(outer, shape[axis], inner);
	}

	/** The number of slices along the axis. */
	public int count() {
		return this.outer * this.inner;
	}

	/**
	 * The index of the first element of slice {@code s}.
	 * @param slice in {@code [0, count())}
	 * @return its row-major index
	 */
	public int start(int slice) {
		return (slice / this.inner) * this.length * this.inner + slice % this.inner;
	}

	/** The distance between neighbours along the axis. */
	public int stride() {
		return this.inner;
	}

}
