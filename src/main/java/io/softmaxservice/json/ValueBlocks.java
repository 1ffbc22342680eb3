package io.softmaxservice.json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * The elements of a tensor being scanned, in blocks that double in size from 64 up to 32
 * Ki elements and are never copied while it grows: the scanner fills one block at a time
 * and the blocks are joined into one array of the exact size at the end. Growing one
 * array by doubling would copy every element about twice and zero about three times its
 * final size; this copies each once. Its memory stays under twice the tensor's (the
 * blocks and the final array). The blocks stay under 512 KiB, the size from which G1
 * allocates an array outside the young generation with its smallest regions; the final
 * array, which may be larger, comes from {@link io.softmaxservice.tensor.LargeArrays}.
 */
final class ValueBlocks {

	static final int FIRST_BLOCK = 64;

	/** 256 KiB of doubles: half of G1's smallest humongous size. */
	static final int LARGEST_BLOCK = 1 << 15;

	/**
	 * From this many bytes on, {@link #beforeGrowing} is told before each new block: a
	 * body of numbers as short as {@code 0,} becomes four times its size in doubles, and
	 * twice that while its blocks are joined.
	 */
	static final long REPORTED_BYTES = 1 << 20;

	private final int maxElements;

	private final LongConsumer beforeGrowing;

	private final IntFunction<double[]> arrays;

	private final List<double[]> full = new ArrayList<>();

	/** The number of elements in the full blocks. */
	private int filled;

	/** The elements of the tensors already joined, which the request still holds. */
	private long kept;

	/**
	 * Creates blocks that say how much memory they are about to take.
	 * @param maxElements the element limit
	 * @param beforeGrowing told, before a new block once they hold
	 * {@link #REPORTED_BYTES} or more, the bytes of doubles the request's tensors will
	 * hold with it: the tensors already read, and this one's blocks and final array; it
	 * may wait, or throw to refuse the request
	 * @param arrays gives the final array of a length, such as
	 * {@link io.softmaxservice.tensor.LargeArrays#take}: its elements are all written
	 * before they are read
	 */
	ValueBlocks(int maxElements, LongConsumer beforeGrowing, IntFunction<double[]> arrays) {
		this.maxElements = maxElements;
		this.beforeGrowing = beforeGrowing;
		this.arrays = arrays;
	}

	/**
	 * The first block to fill.
	 * @return an empty block
	 */
	double[] first() {
		this.full.clear();
		this.filled = 0;
		return new double[Math.min(FIRST_BLOCK, this.maxElements)];
	}

	/**
	 * Whether a full block is the last the element limit allows.
	 * @param block the block being filled, now full
	 * @return whether no element may follow
	 */
	boolean atLimit(double[] block) {
		return this.filled + block.length >= this.maxElements;
	}

	/**
	 * Keeps a full block and starts the next, twice as large up to the largest size and
	 * never beyond the element limit.
	 * @param block the block being filled, now full
	 * @return the next block, empty
	 */
	double[] next(double[] block) {
		this.full.add(block);
		this.filled += block.length;
		int size = Math.min(Math.min(2 * block.length, LARGEST_BLOCK), this.maxElements - this.filled);
		long bytes = Double.BYTES * (this.kept + 2L * (this.filled + size));
		if (bytes >= REPORTED_BYTES) {
			this.beforeGrowing.accept(bytes);
		}
		return new double[size];
	}

	/**
	 * All the elements in one array of their number.
	 * @param block the block being filled
	 * @param size how many elements of it are filled
	 * @return the elements
	 */
	double[] toArray(double[] block, int size) {
		this.kept += this.filled + size;
		if (this.full.isEmpty() && size == block.length) {
			return block;
		}
		double[] values = this.arrays.apply(this.filled + size);
		int at = 0;
		for (double[] full : this.full) {
			System.arraycopy(full, 0, values, at, full.length);
			at += full.length;
		}
		System.arraycopy(block, 0, values, at, size);
		this.full.clear();
		return values;
	}

}
