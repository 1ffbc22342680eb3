package io.softmaxservice.system;

import java.time.Duration;

import io.softmaxservice.tensor.TensorLimits;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ComputeSlots}: a request takes its body's size (and what its reader decodes,
 * through {@link DecodingBudget}) from the budget, gives it back once however often it is
 * released, and is shed with the configured {@code Retry-After} when its share does not
 * fit in time.
 */
class ComputeSlotsTests {

	private final ComputeTurns turns = new ComputeTurns(1);

	private final ComputeSlots slots = new ComputeSlots(
			new SoftmaxProperties(new TensorLimits(DataSize.ofMegabytes(1), 100),
					new SoftmaxProperties.Load(DataSize.ofBytes(100), Duration.ofMillis(10), Duration.ofSeconds(7), 0),
					new SoftmaxProperties.Upload(Duration.ofSeconds(1), DataSize.ofKilobytes(1))),
			this.turns);

	@Test
	void requestTakesItsBodySizeUntilReleased() {
		MockHttpServletRequest big = post(80);
		this.slots.acquire(big);
		assertThat(this.slots.inFlight()).isEqualTo(80);
		this.slots.acquire(post(20));
		assertThat(this.slots.inFlight()).isEqualTo(100);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.acquire(post(1)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
		this.slots.release(big);
		this.slots.release(big);
		assertThat(this.slots.inFlight()).isEqualTo(20);
	}

	@Test
	void requestThatDecodesTakesItsBodyAndTheDecodedBytesOnce() {
		MockHttpServletRequest archive = post(10);
		this.slots.acquire(archive, 60);
		assertThat(this.slots.inFlight()).isEqualTo(70);
		this.slots.acquire(archive);
		assertThat(this.slots.inFlight()).isEqualTo(70);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.acquire(post(1), 30));
		this.slots.release(archive);
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void shareGrowsAndARequestThatMustWaitForMoreWaitsHoldingNothing() {
		MockHttpServletRequest uploading = post(0);
		this.slots.reserve(uploading, 30);
		this.slots.reserve(uploading, 20);
		assertThat(this.slots.inFlight()).isEqualTo(30);
		MockHttpServletRequest other = post(0);
		this.slots.reserve(other, 60);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.reserve(uploading, 50));
		assertThat(this.slots.inFlight()).as("only the other's share").isEqualTo(60);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.reserve(uploading, 1));
		this.slots.release(other);
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void decodingBudgetTakesTheShareOfTheRequestInContext() {
		MockHttpServletRequest archive = post(10);
		DecodingBudget budget = new DecodingBudget(this.slots);
		budget.reserve(50);
		assertThat(this.slots.inFlight()).as("outside a request").isZero();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(archive));
		try {
			budget.reserve(50);
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
		assertThat(this.slots.inFlight()).isEqualTo(60);
		this.slots.release(archive);
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void requestWaitingForTheBudgetGivesItsTurnBackFirst() {
		this.slots.acquire(post(100));
		MockHttpServletRequest waiting = post(1);
		this.turns.take(waiting);
		assertThat(this.turns.available()).isZero();
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.acquire(waiting));
		assertThat(this.turns.available()).isOne();
	}

	@Test
	void releaseGivesTheTurnBackWithTheShare() {
		MockHttpServletRequest request = post(10);
		this.turns.take(request);
		this.slots.acquire(request);
		assertThat(this.turns.available()).isZero();
		this.slots.release(request);
		assertThat(this.turns.available()).isOne();
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void retryAfterDefaultsToTheQueueTimeoutInWholeSeconds() {
		assertThat(new SoftmaxProperties.Load(DataSize.ofBytes(1), Duration.ofMillis(2500), Duration.ZERO, 0)
			.retryAfterSeconds()).isEqualTo(Duration.ofSeconds(3));
		assertThat(new SoftmaxProperties.Load(DataSize.ofBytes(1), Duration.ofMillis(10), Duration.ZERO, 0)
			.retryAfterSeconds()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void requestRefusedOnceIsRefusedAgainAtOnce() {
		MockHttpServletRequest request = post(1);
		ComputeSlots.refuseAgain(request);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.acquire(request));
		assertThat(this.slots.inFlight()).isZero();
	}

	private static MockHttpServletRequest post(int bodyBytes) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax");
		request.setContent(new byte[bodyBytes]);
		return request;
	}

}
