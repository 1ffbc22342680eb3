package io.softmaxservice.system;

import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.Tensor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Initialises ND4J (about 2.5 s: native libraries, backend, thread pools) and runs every
 * kernel once before the application reports ready, so the first request does not pay for
 * it. Readiness turns to ACCEPTING_TRAFFIC only after application runners finish.
 */
@Component
class Nd4jWarmup implements ApplicationRunner {

	private static final Log log = LogFactory.getLog(Nd4jWarmup.class);

	private final SoftmaxKernel softmax;

	Nd4jWarmup(SoftmaxKernel softmax) {
		this.softmax = softmax;
	}

	@Override
	public void run(ApplicationArguments args) {
		long start = System.nanoTime();
		Tensor logits = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, -1000, 0, 1000);
		this.softmax.apply(logits, 1, 1.0, false);
		this.softmax.apply(logits, 0, 0.5, true);
		log.info("ND4J ready in " + (System.nanoTime() - start) / 1_000_000 + " ms: backend "
				+ Nd4j.getBackend().getClass().getSimpleName() + ", " + Nd4j.getEnvironment().maxMasterThreads()
				+ " threads");
	}

}
