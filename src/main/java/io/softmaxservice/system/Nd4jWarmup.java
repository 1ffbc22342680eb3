package io.softmaxservice.system;

import java.util.List;

import io.softmaxservice.tensor.WarmUp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Waits for ND4J, loaded in parallel with Spring's start-up by {@link Nd4jPreloader}, and
 * runs every kernel once before the application reports ready, so the first request does
 * not pay for either. Readiness turns to ACCEPTING_TRAFFIC only after application runners
 * finish.
 */
@Component
class Nd4jWarmup implements ApplicationRunner {

	private static final Log log = LogFactory.getLog(Nd4jWarmup.class);

	private final List<WarmUp> kernels;

	Nd4jWarmup(List<WarmUp> kernels) {
		this.kernels = kernels;
	}

	@Override
	public void run(ApplicationArguments args) {
		long start = System.nanoTime();
		long loading = Nd4jPreloader.start().join();
		long waited = (System.nanoTime() - start) / 1_000_000;
		this.kernels.forEach(WarmUp::warmUp);
		log.info("ND4J ready: loaded in " + loading + " ms in parallel with start-up (waited " + waited
				+ " ms for it), " + this.kernels.size() + " kernels warmed up in "
				+ ((System.nanoTime() - start) / 1_000_000 - waited) + " ms; backend "
				+ Nd4j.getBackend().getClass().getSimpleName() + ", " + Nd4j.getEnvironment().maxMasterThreads()
				+ " threads");
	}

}
