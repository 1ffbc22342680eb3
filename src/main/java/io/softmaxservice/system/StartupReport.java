package io.softmaxservice.system;

import io.softmaxservice.tensor.TensorLimits;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Logs, once the service is ready, what an operator needs to know about it: the port, the
 * ND4J backend and its threads, the JVM's view of the container, the request limits and
 * the shutdown mode.
 */
@Component
class StartupReport {

	private static final Log log = LogFactory.getLog(StartupReport.class);

	private final Environment environment;

	private final TensorLimits limits;

	private final SoftmaxProperties.Load load;

	private final SoftmaxProperties.Upload upload;

	StartupReport(Environment environment, SoftmaxProperties properties) {
		this.environment = environment;
		this.limits = properties.limits();
		this.load = properties.load();
		this.upload = properties.upload();
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		log.info(describe());
	}

	String describe() {
		String port = this.environment.getProperty("local.server.port");
		String shutdown = this.environment.getProperty("server.shutdown", "immediate");
		if ("graceful".equalsIgnoreCase(shutdown)) {
			shutdown += " (up to " + this.environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", "30s")
					+ ")";
		}
		Runtime runtime = Runtime.getRuntime();
		return "Ready " + ((port != null) ? "on port " + port : "without a web server") + "; ND4J backend "
				+ Nd4j.getBackend().getClass().getSimpleName() + " with " + Nd4j.getEnvironment().maxThreads()
				+ " OpenMP threads and " + Nd4j.getEnvironment().maxMasterThreads()
				+ " master threads (OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
				+ "); JVM sees " + runtime.availableProcessors() + " CPUs and a " + runtime.maxMemory() / (1024 * 1024)
				+ " MiB heap; limits: request body " + size(this.limits.maxBodySize()) + ", "
				+ this.limits.maxElements() + " elements per tensor and per result, " + size(this.load.workBudget())
				+ " of request bodies computed at once (more wait up to " + this.load.queueTimeout().toMillis()
				+ " ms, then 503 with Retry-After " + this.load.retryAfterSeconds().toSeconds()
				+ " s), bodies arrive within " + this.upload.timeout().toMillis() + " ms or at "
				+ size(this.upload.minRate()) + "/s (else 408); shutdown " + shutdown;
	}

	private static String size(DataSize size) {
		long bytes = size.toBytes();
		if (bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MiB";
		}
		return (bytes % 1024 == 0) ? (bytes / 1024) + " KiB" : bytes + " bytes";
	}

}
