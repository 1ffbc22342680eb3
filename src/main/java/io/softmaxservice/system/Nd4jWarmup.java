package io.softmaxservice.system;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.softmaxservice.tensor.WarmUp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Runs every kernel once, on a background thread as soon as every bean exists and ND4J
 * (loaded in parallel with Spring's start-up by {@link Nd4jPreloader}) is ready, while
 * the web server starts; as an application runner it waits for that before the
 * application reports ready, so the first request pays for neither. Readiness turns to
 * ACCEPTING_TRAFFIC only after application runners finish.
 */
@Component
class Nd4jWarmup implements SmartInitializingSingleton, ApplicationRunner {

	private static final Log log = LogFactory.getLog(Nd4jWarmup.class);

	private final List<WarmUp> kernels;

	private @Nullable CompletableFuture<String> warming;

	Nd4jWarmup(List<WarmUp> kernels) {
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
	public void run(ApplicationArguments args) {
		long start = System.nanoTime();
		String done = (this.warming != null) ? this.warming.join() : warmUp();
		log.info("ND4J ready " + (System.nanoTime() - start) / 1_000_000 + " ms after the web server: " + done
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
