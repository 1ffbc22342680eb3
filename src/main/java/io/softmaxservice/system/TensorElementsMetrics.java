package io.softmaxservice.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counts the input tensor elements of every request computed with success in the counter
 * {@code softmax.tensor.elements}, tagged with the endpoint. Each endpoint records the
 * element count of its checked command once its kernel has answered.
 */
@Component
public class TensorElementsMetrics {

	static final String METRIC = "softmax.tensor.elements";

	private final ObjectProvider<MeterRegistry> registry;

	/**
	 * One counter per endpoint, registered on first use: looked up, not built, per
	 * request.
	 */
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	TensorElementsMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	/**
	 * Adds the elements of one computed request to the counter.
	 * @param endpoint the endpoint's path pattern, e.g. {@code /softmax}
	 * @param elements the number of input tensor elements it computed on
	 */
	public void record(String endpoint, long elements) {
		Counter counter = this.counters.get(endpoint);
		if (counter == null) {
			MeterRegistry meters = this.registry.getIfAvailable();
			if (meters == null) {
				return;
			}
			counter = this.counters.computeIfAbsent(endpoint,
					(path) -> Counter.builder(METRIC)
						.description("Tensor elements in the bodies of requests answered with success")
						.baseUnit("elements")
						.tag("endpoint", path)
						.register(meters));
		}
		counter.increment(elements);
	}

}
