package io.softmaxservice.system;

import java.time.Duration;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
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
 * through {@link WorkBudgetShare}) from the budget, gives it back once however often it
 * is released, and is shed with the configured {@code Retry-After} when its share does
 * not fit in time.
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
	void workBudgetShareTakesTheShareOfTheRequestInContext() {
		MockHttpServletRequest archive = post(10);
		WorkBudgetShare budget = new WorkBudgetShare(this.slots);
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
	void answeringGivesTheTurnBackAndKeepsTheShareGrownToALargeAnswerUntilReleased() {
		ComputeSlots slots = slots(DataSize.ofMegabytes(1));
		MockHttpServletRequest request = post(10);
		this.turns.take(request);
		slots.acquire(request);
		slots.answering(request, new Answer(Tensor.of(new int[] { 5 }, 1, 2, 3, 4, 5), "label"));
		assertThat(this.turns.available()).isOne();
		assertThat(slots.inFlight()).as("a small answer keeps the body's share").isEqualTo(10);
		// One float64 more than a small answer holds.
		Tensor large = new Tensor(new int[] { 32 * 1024 + 1 }, new double[32 * 1024 + 1], DType.FLOAT64);
		slots.answering(request, new Answer(large, "label"));
		assertThat(slots.inFlight()).isEqualTo(ComputeSlots.SMALL_ANSWER_BYTES + 8);
		slots.answering(request, new Answer(Tensor.of(new int[] { 5 }, 1, 2, 3, 4, 5), "label"));
		assertThat(slots.inFlight()).as("a smaller answer keeps the share")
			.isEqualTo(ComputeSlots.SMALL_ANSWER_BYTES + 8);
		slots.release(request);
		assertThat(slots.inFlight()).isZero();
	}

	@Test
	void answeringThatDoesNotFitInTimeIsRefused() {
		ComputeSlots slots = slots(DataSize.ofBytes(ComputeSlots.SMALL_ANSWER_BYTES + 50));
		MockHttpServletRequest other = post(90);
		slots.acquire(other);
		MockHttpServletRequest request = post(5);
		slots.acquire(request);
		Tensor large = new Tensor(new int[] { 32 * 1024 + 1 }, new double[32 * 1024 + 1], DType.FLOAT64);
		assertThatExceptionOfType(ServiceOverloadedException.class)
			.isThrownBy(() -> slots.answering(request, new Answer(large, "label")));
		assertThat(slots.inFlight()).as("it kept its share while it waited").isEqualTo(95);
		slots.release(request);
		slots.answering(post(5), "no tensor");
		assertThat(slots.inFlight()).isEqualTo(90);
	}

	@Test
	void growWaitsHoldingTheShareOfTheBodyInMemory() {
		MockHttpServletRequest request = post(30);
		this.slots.acquire(request);
		MockHttpServletRequest other = post(60);
		this.slots.acquire(other);
		this.turns.take(request);
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.grow(request, 20));
		assertThat(this.slots.inFlight()).as("both shares, though one waited").isEqualTo(90);
		assertThat(this.turns.available()).as("but not the turn").isOne();
		assertThatExceptionOfType(ServiceOverloadedException.class).isThrownBy(() -> this.slots.grow(request, 1))
			.as("refused again at once");
		this.slots.release(other);
		MockHttpServletRequest alone = post(30);
		this.slots.acquire(alone);
		this.slots.grow(alone, 20);
		assertThat(this.slots.inFlight()).isEqualTo(80);
		this.slots.release(alone);
		this.slots.release(request);
		assertThat(this.slots.inFlight()).isZero();
	}

	private ComputeSlots slots(DataSize budget) {
		return new ComputeSlots(new SoftmaxProperties(new TensorLimits(DataSize.ofMegabytes(1), 100),
				new SoftmaxProperties.Load(budget, Duration.ofMillis(10), Duration.ofSeconds(7), 0),
				new SoftmaxProperties.Upload(Duration.ofSeconds(1), DataSize.ofKilobytes(1))), this.turns);
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

	record Answer(Tensor values, String label) {

	}

}
