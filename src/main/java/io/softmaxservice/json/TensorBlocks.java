package io.softmaxservice.json;

import java.nio.ByteBuffer;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import org.jspecify.annotations.Nullable;

/**
 * A tensor's values as doubles, a block at a time: the tensor's own array, or, for a
 * tensor made from bytes (an answer copied out of ND4J), those bytes converted one block
 * at a time into a reused array, so that writing a 2-million-value answer as JSON does
 * not need all of its values as doubles at once (16 MB of heap next to its bytes).
 */
final class TensorBlocks {

	/** The most values converted at once, unless a caller asks for a larger block. */
	static final int BLOCK = 8192;

	private final double @Nullable [] all;

	private final @Nullable ByteBuffer bytes;

	private final int width;

	private double[] block = new double[0];

	private int offset;

	TensorBlocks(Tensor tensor) {
		this.bytes = tensor.bytes();
		this.all = (this.bytes != null) ? null : tensor.values();
		this.width = (tensor.dtype() == DType.FLOAT32) ? 4 : 8;
	}

	/**
	 * Makes values {@code from} to {@code from + count - 1} available, at
	 * {@link #offset()} onwards in the array returned.
	 * @param from the first value's row-major index
	 * @param count how many values
	 * @return an array holding them, valid until the next call
	 */
	double[] load(int from, int count) {
		double[] all = this.all;
		if (all != null) {
			this.offset = from;
			return all;
		}
		ByteBuffer bytes = this.bytes;
		if (this.block.length != count) {
			this.block = new double[count];
		}
		ByteBuffer slice = bytes.slice(from * this.width, count * this.width).order(bytes.order());
		TensorBytes.readFloats(slice, this.width, this.block, null);
		this.offset = 0;
		return this.block;
	}

	/** Where the values asked for last start in the array {@link #load} returned. */
	int offset() {
		return this.offset;
	}

}
