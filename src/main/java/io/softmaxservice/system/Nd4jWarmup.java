package io.softmaxservice.system;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.WarmUp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Runs every kernel once, on a background thread as soon as every bean exists and ND4J
 * (loaded in parallel with Spring's start-up by {@link Nd4jPreloader}) is ready; as a
 * lifecycle that starts just before the web server opens its port (after
 * {@link HttpWarmup}), it waits for that, so the port opens, and readiness turns UP right
 * after, only once ND4J is warm: the first request pays for none of it. Before the
 * kernels run it sets the threads of each ND4J op ({@code softmax.kernel.nd4j-threads}).
 */
@Component
class Nd4jWarmup extends StartupStep implements SmartInitializingSingleton {

	/** After {@link HttpWarmup}'s, before the web server's. */
	static final int PHASE = HttpWarmup.WEB_SERVER_START_PHASE - 1;

	private static final Log log = LogFactory.getLog(Nd4jWarmup.class);

	private final List<WarmUp> kernels;

	private final int nd4jThreads;

	private @Nullable CompletableFuture<String> warming;

	Nd4jWarmup(List<WarmUp> kernels, KernelProperties properties) {
		super(PHASE);
		this.kernels = kernels;
		this.nd4jThreads = properties.nd4jThreads();
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.warming = CompletableFuture.supplyAsync(this::warmUp, (task) -> {
			Thread thread = new Thread(task, "kernel-warmup");
			thread.setDaemon(true);
			thread.start();
		});
	}

	@Override
	void run() {
		long start = System.nanoTime();
		String done = (this.warming != null) ? this.warming.join() : warmUp();
		log.info("ND4J ready after waiting " + (System.nanoTime() - start) / 1_000_000 + " ms for it: " + done
				+ "; backend " + Nd4j.getBackend().getClass().getSimpleName() + ", "
				+ Nd4j.getEnvironment().maxMasterThreads() + " threads");
	}

	private String warmUp() {
		long loading = Nd4jPreloader.start().join();
		setThreads(this.nd4jThreads);
		long start = System.nanoTime();
		this.kernels.forEach(WarmUp::warmUp);
		return "loaded in " + loading + " ms in parallel with start-up, " + this.kernels.size()
				+ " kernels warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms";
	}

	/**
	 * Sets how many threads one ND4J op splits its work over (ND4J's master threads; it
	 * allows at most its {@code maxThreads}: {@code OMP_NUM_THREADS}, else one per core),
	 * unless {@code threads} is 0 or less. Under load every core already serves a
	 * request: with one thread per op no thread waits for or wakes another (a 32 × 1000
	 * softmax from 8 clients cost 14–16% more CPU per request with two), while a lone 64
	 * × 32000 request is answered about 5% later with one.
	 * @param threads the threads per op, or 0 (or less) for ND4J's own choice
	 */
	private static void setThreads(int threads) {
		if (threads > 0) {
			Nd4j.getEnvironment().setMaxMasterThreads(threads);
		}
	}

}
