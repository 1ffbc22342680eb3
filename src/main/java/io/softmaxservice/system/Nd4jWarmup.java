package io.softmaxservice.system;

import java.util.List;
import java.util.concurrent.CompletableFuture;

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
 * after, only once ND4J is warm: the first request pays for none of it.
 */
@Component
class Nd4jWarmup extends StartupStep implements SmartInitializingSingleton {

	/** After {@link HttpWarmup}'s, before the web server's. */
	static final int PHASE = HttpWarmup.WEB_SERVER_START_PHASE - 1;

	private static final Log log = LogFactory.getLog(Nd4jWarmup.class);

	private final List<WarmUp> kernels;

	private @Nullable CompletableFuture<String> warming;

	Nd4jWarmup(List<WarmUp> kernels) {
		super(PHASE);
		this.kernels = kernels;
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
		long start = System.nanoTime();
		this.kernels.forEach(WarmUp::warmUp);
		return "loaded in " + loading + " ms in parallel with start-up, " + this.kernels.size()
				+ " kernels warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms";
	}

}
