package io.softmaxservice.inference;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DecodedMemory} tells the peak a request's values are about to hold, the array
 * being replaced included, from a mebibyte on, and only when it is a new peak.
 */
class DecodedMemoryTests {

	private static final long MIB = 1 << 20;

	private final List<Long> told = new ArrayList<>();

	private final DecodedMemory memory = new DecodedMemory(this.told::add);

	@Test
	void allocateBelowAMebibyteTellsNothing() {
		this.memory.allocate(MIB / 2, 0);
		this.memory.allocate(MIB / 2 - 1, 0);
		assertThat(this.told).isEmpty();
	}

	@Test
	void allocateFromAMebibyteTellsThePeakWithTheArrayItReplaces() {
		this.memory.allocate(MIB / 2, 0);
		this.memory.allocate(MIB, MIB / 2);
		this.memory.allocate(2 * MIB, MIB);
		assertThat(this.told).containsExactly(MIB + MIB / 2, 3 * MIB);
	}

	@Test
	void allocateBelowThePeakToldAlreadyTellsNothing() {
		this.memory.allocate(2 * MIB, 0);
		this.memory.allocate(MIB, 2 * MIB);
		this.memory.allocate(MIB, 0);
		this.memory.allocate(MIB, 0);
		assertThat(this.told).containsExactly(2 * MIB, 3 * MIB);
	}

}
