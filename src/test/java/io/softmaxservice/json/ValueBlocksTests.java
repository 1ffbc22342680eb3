package io.softmaxservice.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ValueBlocks}: blocks that double up to 32 Ki elements, joined into one array of
 * the exact size that comes from the given arrays, which say how much memory they are
 * about to take once it is a mebibyte or more.
 */
class ValueBlocksTests {

	private final List<Long> reported = new ArrayList<>();

	private final ValueBlocks blocks = new ValueBlocks(1 << 22, this.reported::add, double[]::new);

	@Test
	void toArrayJoinsEveryBlockInOrder() {
		double[] block = this.blocks.first();
		int n = 0;
		for (int i = 0; i < 1000; i++) {
			if (n == block.length) {
				block = this.blocks.next(block);
				n = 0;
			}
			block[n++] = i;
		}
		double[] values = this.blocks.toArray(block, n);
		assertThat(values).hasSize(1000);
		for (int i = 0; i < 1000; i++) {
			assertThat(values[i]).isEqualTo(i);
		}
		assertThat(this.reported).as("8 KB of doubles").isEmpty();
	}

	@Test
	void nextTellsTheDoublesOfTheBlocksTheFinalArrayAndEarlierTensorsFromAMebibyteOn() {
		int elements = fill(100_000);
		// Blocks of 64, 128, ... 32,768 elements: the first growth to report is the one
		// whose blocks and final array take 1 MiB or more: 2 × 8 × (65,472 + 32,768).
		assertThat(this.reported.get(0)).isEqualTo(16L * (65_472 + 32_768));
		assertThat(elements).isEqualTo(100_000);
		this.reported.clear();
		fill(100_000);
		// The first tensor's 100,000 doubles are still held, so the growth from 8,128 to
		// 16,320 elements is the first to reach a mebibyte.
		assertThat(this.reported.get(0)).isEqualTo(8L * 100_000 + 16L * (8_128 + 8_192));
	}

	@Test
	void nextThatIsRefusedAllocatesNothing() {
		ValueBlocks refusing = new ValueBlocks(1 << 22, (bytes) -> {
			throw new IllegalStateException("no room for " + bytes);
		}, double[]::new);
		double[] block = refusing.first();
		assertThatIllegalStateException().isThrownBy(() -> {
			double[] next = block;
			while (true) {
				next = refusing.next(next);
			}
		}).withMessage("no room for " + 16L * (65_472 + 32_768));
	}

	@Test
	void nextNeverMakesABlockThatG1WouldAllocateOutsideTheYoungGeneration() {
		double[] block = this.blocks.first();
		List<Integer> sizes = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			block = this.blocks.next(block);
			sizes.add(block.length);
		}
		assertThat(sizes).startsWith(128, 256, 512).endsWith(32_768, 32_768);
		assertThat(sizes).allMatch((size) -> 16 + 8L * size < 512 * 1024);
	}

	@Test
	void toArrayFillsTheArrayItIsGivenForTheFinalOne() {
		List<Integer> asked = new ArrayList<>();
		double[] given = new double[100_000];
		Arrays.fill(given, Double.NaN);
		ValueBlocks recycling = new ValueBlocks(1 << 22, (bytes) -> {
		}, (length) -> {
			asked.add(length);
			return given;
		});
		double[] block = recycling.first();
		int n = 0;
		for (int i = 0; i < 100_000; i++) {
			if (n == block.length) {
				block = recycling.next(block);
				n = 0;
			}
			block[n++] = i;
		}
		double[] values = recycling.toArray(block, n);
		assertThat(values).isSameAs(given);
		assertThat(asked).containsExactly(100_000);
		for (int i = 0; i < 100_000; i++) {
			assertThat(values[i]).isEqualTo(i);
		}
	}

	private int fill(int count) {
		double[] block = this.blocks.first();
		int n = 0;
		for (int i = 0; i < count; i++) {
			if (n == block.length) {
				block = this.blocks.next(block);
				n = 0;
			}
			block[n++] = i;
		}
		return this.blocks.toArray(block, n).length;
	}

}
