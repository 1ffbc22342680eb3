package io.softmaxservice.tensor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how the kernels compute, set with {@code softmax.kernel.*}: tensors of at
 * most {@code plainJavaMaxElements} elements in plain Java, larger ones with ND4J, each
 * ND4J op on {@code nd4jThreads} threads, or on all of ND4J's for a computation of at
 * least {@code parallelMinElements} elements that runs alone. Both paths compute the same
 * float64 formulas; below the threshold ND4J's fixed cost per native call (tens of
 * microseconds, several calls per request) outweighs its speed per element.
 *
 * @param plainJavaMaxElements the largest tensor computed in plain Java: 0 sends every
 * tensor to ND4J, {@link Integer#MAX_VALUE} none
 * @param nd4jThreads the threads ND4J splits one op over (its master threads, at most
 * {@code OMP_NUM_THREADS}, which still sizes OpenMP's own loops): concurrent requests use
 * the other cores, so one costs the least CPU per request under load; 0 (or less) leaves
 * ND4J's own choice ({@code OMP_NUM_THREADS}, else one per core)
 * @param parallelMinElements the smallest computation whose ops use every thread ND4J has
 * when no other computation runs at the same time: a lone large request then has the
 * cores to itself, and the threads' hand-offs cost little against its work
 */
@ConfigurationProperties("softmax.kernel")
public record KernelProperties(@DefaultValue("4096") int plainJavaMaxElements, @DefaultValue("1") int nd4jThreads,
		@DefaultValue("1048576") long parallelMinElements) {

	/** The defaults. */
	public static final KernelProperties DEFAULT = new KernelProperties(4096, 1, 1L << 20);

	/**
	 * Whether a computation of this many elements runs in plain Java.
	 * @param elements the size of the largest tensor the computation reads or writes
	 * @return true below or at the threshold
	 */
	public boolean inPlainJava(long elements) {
		return elements <= this.plainJavaMaxElements;
	}

}
