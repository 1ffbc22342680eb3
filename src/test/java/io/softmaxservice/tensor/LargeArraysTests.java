package io.softmaxservice.tensor;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link LargeArrays}: large arrays taken under a lease come back when it closes and go
 * to the next request of their length; small ones, and large ones taken without a lease,
 * never come back; at most the capacity is kept, the least recently used lengths going
 * first.
 */
class LargeArraysTests {

	private static final int LARGE = LargeArrays.MIN_LENGTH;

	private final LargeArrays arrays = new LargeArrays(8L * 4 * LARGE);

	@Test
	void takeUnderALeaseGivesTheArrayBackWhenTheLeaseCloses() {
		double[] taken;
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			taken = this.arrays.take(LARGE);
			assertThat(taken).hasSize(LARGE);
			assertThat(this.arrays.free()).isEmpty();
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 1));
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			assertThat(this.arrays.take(LARGE)).isSameAs(taken);
			assertThat(this.arrays.take(LARGE)).isNotSameAs(taken).hasSize(LARGE);
			assertThat(this.arrays.free()).isEmpty();
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 2));
	}

	@Test
	void takeGivesAnArrayOfAnotherLengthANewArray() {
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			this.arrays.take(LARGE);
		}
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			assertThat(this.arrays.take(LARGE + 1)).hasSize(LARGE + 1);
			assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 1));
		}
	}

	@Test
	void takeOfFewerThanTheMinimumLengthIsNeverKept() {
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			assertThat(this.arrays.take(LARGE - 1)).hasSize(LARGE - 1);
			assertThat(this.arrays.take(0)).isEmpty();
		}
		assertThat(this.arrays.free()).isEmpty();
	}

	@Test
	void takeWithoutALeaseIsNeverGivenBack() {
		double[] kept;
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			kept = this.arrays.take(LARGE);
		}
		assertThat(this.arrays.take(LARGE)).isSameAs(kept);
		assertThat(this.arrays.take(LARGE)).isNotSameAs(kept);
		assertThat(this.arrays.free()).isEmpty();
	}

	@Test
	void leaseOpenedInsideALeaseGivesNothingBackWhenItCloses() {
		try (LargeArrays.Lease outer = this.arrays.lease()) {
			try (LargeArrays.Lease inner = this.arrays.lease()) {
				this.arrays.take(LARGE);
			}
			assertThat(this.arrays.free()).isEmpty();
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 1));
	}

	@Test
	void leaseClosedTwiceGivesItsArraysBackOnceAndLeavesTheNextLeaseOpen() {
		LargeArrays.Lease first = this.arrays.lease();
		this.arrays.take(LARGE);
		first.close();
		try (LargeArrays.Lease second = this.arrays.lease()) {
			double[] taken = this.arrays.take(LARGE);
			first.close();
			assertThat(this.arrays.free()).isEmpty();
			assertThat(taken).hasSize(LARGE);
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 1));
	}

	@Test
	void leaseIsThisThreadsOnly() {
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			CompletableFuture.runAsync(() -> this.arrays.take(LARGE)).join();
		}
		assertThat(this.arrays.free()).isEmpty();
	}

	@Test
	void giveBeyondTheCapacityDropsTheLeastRecentlyUsedLengthFirst() {
		// Room for four arrays of LARGE elements.
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			this.arrays.take(LARGE);
			this.arrays.take(LARGE);
			this.arrays.take(LARGE + 1);
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 2), Map.entry(LARGE + 1, 1));
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			this.arrays.take(LARGE + 2);
			this.arrays.take(LARGE + 2);
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE + 1, 1), Map.entry(LARGE + 2, 2));
	}

	@Test
	void defaultCapacityWithAHeapOfAGibibyteOrMoreIs64Mebibytes() {
		assumeThat(Runtime.getRuntime().maxMemory()).isGreaterThanOrEqualTo(1L << 30);
		LargeArrays arrays = new LargeArrays();
		try (LargeArrays.Lease lease = arrays.lease()) {
			for (int i = 0; i < 9; i++) {
				arrays.take(1 << 20);
			}
		}
		assertThat(arrays.free()).containsExactly(Map.entry(1 << 20, 8));
	}

	@Test
	void takeOfAKeptArrayFreesItsRoom() {
		for (int round = 0; round < 2; round++) {
			try (LargeArrays.Lease lease = this.arrays.lease()) {
				for (int i = 0; i < 4; i++) {
					this.arrays.take(LARGE);
				}
			}
			assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 4));
		}
	}

	@Test
	void capacityIsASixteenthOfTheHeapUpTo64Mebibytes() {
		assertThat(LargeArrays.capacity(256L << 20)).isEqualTo(16L << 20);
		assertThat(LargeArrays.capacity(1L << 30)).isEqualTo(64L << 20);
		assertThat(LargeArrays.capacity(6L << 30)).isEqualTo(64L << 20);
	}

	@Test
	void giveOfAnArrayOfTheWholeCapacityKeepsOnlyIt() {
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			this.arrays.take(LARGE);
			this.arrays.take(4 * LARGE);
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(4 * LARGE, 1));
	}

	@Test
	void giveOfAnArrayLargerThanTheCapacityKeepsNothing() {
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			this.arrays.take(LARGE);
			this.arrays.take(5 * LARGE);
		}
		assertThat(this.arrays.free()).containsExactly(Map.entry(LARGE, 1));
	}

}
