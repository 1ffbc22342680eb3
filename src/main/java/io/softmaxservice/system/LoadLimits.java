package io.softmaxservice.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much computation the service takes on at once, set with {@code softmax.load.*}.
 *
 * @param maxConcurrentRequests computations in flight at once; 0 or less means twice the
 * available processors
 * @param queueTimeout how long a request waits for its turn before it is shed with 503
 */
@ConfigurationProperties("softmax.load")
record LoadLimits(@DefaultValue("0") int maxConcurrentRequests, @DefaultValue("2s") Duration queueTimeout) {

	int permits() {
		return (this.maxConcurrentRequests > 0) ? this.maxConcurrentRequests
				: 2 * Runtime.getRuntime().availableProcessors();
	}

}
