package io.softmaxservice.softmax;

import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link Nd4jThreads}.
 */
class Nd4jThreadsTests {

	private final Environment environment = Nd4j.getEnvironment();

	private int before;

	@BeforeEach
	void rememberThreads() {
		this.before = this.environment.maxMasterThreads();
	}

	@AfterEach
	void restoreThreads() {
		this.environment.setMaxMasterThreads(this.before);
	}

	@Test
	void loneComputationOfAtLeastTheThresholdUsesEveryThread() {
		assertThat(threads(1, 100).threads(true, 100, 4)).isEqualTo(4);
	}

	@Test
	void loneComputationBelowTheThresholdUsesTheThreadsSetForLoad() {
		assertThat(threads(1, 100).threads(true, 99, 4)).isOne();
	}

	@Test
	void largeComputationBesideAnotherUsesTheThreadsSetForLoad() {
		assertThat(threads(2, 100).threads(false, 1_000_000, 4)).isEqualTo(2);
	}

	@Test
	void zeroThreadsForLoadLeavesEveryThreadToEachOp() {
		assertThat(threads(0, 100).threads(false, 1, 4)).isEqualTo(4);
	}

	@Test
	void threadsForLoadAreAtMostTheThreadsNd4jHas() {
		assertThat(threads(8, 100).threads(false, 1, 4)).isEqualTo(4);
	}

	@Test
	void computationStartedBesideALoneLargeOneSetsTheThreadsForLoad() {
		assumeThat(this.environment.maxThreads()).as("ND4J has a thread per core").isGreaterThan(1);
		Nd4jThreads threads = threads(1, 100);
		try (Nd4jThreads.Computation lone = threads.start(100)) {
			assertThat(this.environment.maxMasterThreads()).isEqualTo(this.environment.maxThreads());
			try (Nd4jThreads.Computation beside = threads.start(100)) {
				assertThat(this.environment.maxMasterThreads()).isOne();
			}
		}
		try (Nd4jThreads.Computation next = threads.start(100)) {
			assertThat(this.environment.maxMasterThreads()).isEqualTo(this.environment.maxThreads());
		}
	}

	@Test
	void kernelEndsItsComputationsWhenDone() {
		assumeThat(this.environment.maxThreads()).as("ND4J has a thread per core").isGreaterThan(1);
		KernelProperties properties = new KernelProperties(0, 1, 6);
		SoftmaxKernel kernel = new SoftmaxKernel(properties);
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, 4, 5, 6);
		kernel.apply(logits, 1, 1.0, false);
		kernel.apply(logits, 1, 1.0, true);
		kernel.probabilities(logits, 0, 2.0);
		kernel.terms(logits, 1).close();
		try (Nd4jThreads.Computation next = new Nd4jThreads(properties).start(6)) {
			assertThat(this.environment.maxMasterThreads()).as("a computation still counted as running")
				.isEqualTo(this.environment.maxThreads());
		}
	}

	private static Nd4jThreads threads(int underLoad, long parallelMinElements) {
		return new Nd4jThreads(new KernelProperties(4096, underLoad, parallelMinElements));
	}

}
