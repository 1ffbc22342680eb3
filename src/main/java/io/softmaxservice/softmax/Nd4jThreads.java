package io.softmaxservice.softmax;

import io.softmaxservice.tensor.KernelProperties;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Chooses, as each computation with ND4J starts, how many threads its ops split their
 * work over (ND4J's master threads, one setting for the whole process): every thread ND4J
 * has for a computation of at least {@code softmax.kernel.parallel-min-elements} that
 * starts while no other runs, else {@code softmax.kernel.nd4j-threads}. Under load every
 * core already serves a request, and one thread per op costs the least CPU; a lone large
 * request has the cores to itself (the {@code SoftMax} op of a 64 × 32000 softmax took
 * 4.0 instead of 8.4 ms of its request's time on two cores).
 */
final class Nd4jThreads {

	private static final Object MONITOR = new Object();

	/** Computations with ND4J running in this process, whichever kernel started them. */
	private static int computing;

	private final int underLoad;

	private final long parallelMinElements;

	Nd4jThreads(KernelProperties properties) {
		this.underLoad = properties.nd4jThreads();
		this.parallelMinElements = properties.parallelMinElements();
	}

	/**
	 * Starts a computation with ND4J and sets the threads its ops split over.
	 * @param elements the size of the largest tensor it computes
	 * @return what ends the computation, once its last op has run
	 */
	Computation start(long elements) {
		synchronized (MONITOR) {
			Environment environment = Nd4j.getEnvironment();
			int threads = threads(computing == 0, elements, environment.maxThreads());
			if (environment.maxMasterThreads() != threads) {
				environment.setMaxMasterThreads(threads);
			}
			// Counted once nothing can fail: a count never ended would leave every later
			// computation one thread per op.
			computing++;
		}
		return Nd4jThreads::end;
	}

	/**
	 * The threads of a computation's ops.
	 * @param alone whether no other computation runs
	 * @param elements the size of its largest tensor
	 * @param available every thread ND4J has ({@code OMP_NUM_THREADS}, else one per core)
	 * @return how many of them each op uses
	 */
	int threads(boolean alone, long elements, int available) {
		if (this.underLoad <= 0 || (alone && elements >= this.parallelMinElements)) {
			return available;
		}
		return Math.min(this.underLoad, available);
	}

	private static void end() {
		synchronized (MONITOR) {
			computing--;
		}
	}

	/** A computation with ND4J; closing it ends it. */
	@FunctionalInterface
	interface Computation extends AutoCloseable {

		@Override
		void close();

	}

}
