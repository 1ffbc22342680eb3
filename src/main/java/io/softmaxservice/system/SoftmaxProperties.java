package io.softmaxservice.system;

import java.time.Duration;

import io.softmaxservice.tensor.TensorLimits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code softmax.*} setting of the service, bound once by
 * {@link SoftmaxConfiguration}.
 *
 * @param limits size limits on requests ({@code softmax.limits.*})
 * @param load how much work is computed at once ({@code softmax.load.*})
 * @param upload how fast a request body must arrive ({@code softmax.upload.*})
 */
@ConfigurationProperties("softmax")
public record SoftmaxProperties(@NestedConfigurationProperty @DefaultValue TensorLimits limits, @DefaultValue Load load,
		@DefaultValue Upload upload) {

	/**
	 * The budget of work in flight, measured in bytes of request body: a request whose
	 * body has been read takes its size from the budget while it is computed, and gives
	 * it back before its answer is written.
	 *
	 * @param workBudget body bytes computed at once; a request larger than the whole
	 * budget runs alone. Size it as the heap left to requests divided by about 4 (a JSON
	 * body's numbers take about a quarter of its bytes as doubles, and a computation
	 * holds its input, its output and temporaries of the same size)
	 * @param queueTimeout how long a request waits for its share before it is shed with
	 * 503
	 * @param retryAfter the {@code Retry-After} sent with a 503; 0 means the queue
	 * timeout, rounded up to whole seconds
	 * @param turns how many small requests (whose body arrived with their headers) are
	 * handled at once, first come first served; 0 means four per CPU the JVM sees
	 */
	public record Load(@DefaultValue("128MB") DataSize workBudget, @DefaultValue("2s") Duration queueTimeout,
			@DefaultValue("0s") Duration retryAfter, @DefaultValue("0") int turns) {

		/**
		 * The {@code Retry-After} to send with a 503, in whole seconds (at least 1).
		 * @return the delay
		 */
		public Duration retryAfterSeconds() {
			Duration delay = (!this.retryAfter.isNegative() && !this.retryAfter.isZero()) ? this.retryAfter
					: this.queueTimeout;
			long seconds = delay.toSeconds() + ((delay.toNanosPart() > 0) ? 1 : 0);
			return Duration.ofSeconds(Math.max(1, seconds));
		}

	}

	/**
	 * How fast a request body must arrive; a body that does not is answered 408 and its
	 * connection closed, so that slow clients do not hold the server's threads.
	 *
	 * @param timeout every body gets at least this long; a client that sends nothing for
	 * this long is also cut off
	 * @param minRate past the timeout, the body must have arrived at this average rate
	 * per second
	 */
	public record Upload(@DefaultValue("10s") Duration timeout, @DefaultValue("64KB") DataSize minRate) {

		/**
		 * The time a body of this size may take: the timeout, or the time it takes at the
		 * minimum rate if that is longer.
		 * @param bytes the body's size so far
		 * @return the time it may take
		 */
		public Duration allowed(long bytes) {
			long rate = Math.max(1, this.minRate.toBytes());
			Duration atRate = Duration.ofNanos((long) Math.min(Long.MAX_VALUE, (double) bytes / rate * 1e9));
			return (atRate.compareTo(this.timeout) > 0) ? atRate : this.timeout;
		}

	}

}
