package io.softmaxservice.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkBudget}: requests take their size, small ones pass while large ones wait,
 * and one larger than the budget runs alone.
 */
class WorkBudgetTests {

	private final WorkBudget budget = new WorkBudget(100);

	@Test
	void smallRequestIsNotRefusedWhileLargeOnesComputeAndWait() throws Exception {
		assertThat(this.budget.tryAcquire(this.budget.share(40), 0)).isTrue();
		assertThat(this.budget.tryAcquire(this.budget.share(40), 0)).isTrue();
		assertThat(this.budget.tryAcquire(this.budget.share(40), 1_000_000)).isFalse();
		assertThat(this.budget.tryAcquire(this.budget.share(10), 0)).isTrue();
		assertThat(this.budget.inFlight()).isEqualTo(90);
	}

	@Test
	void requestLargerThanTheBudgetRunsAlone() throws Exception {
		long share = this.budget.share(1_000);
		assertThat(share).isEqualTo(100);
		assertThat(this.budget.tryAcquire(share, 0)).isTrue();
		assertThat(this.budget.tryAcquire(this.budget.share(1), 0)).isFalse();
		this.budget.release(share);
		assertThat(this.budget.tryAcquire(this.budget.share(1), 0)).isTrue();
		assertThat(this.budget.tryAcquire(share, 0)).isFalse();
	}

	@Test
	void emptyBodyTakesOneUnit() {
		assertThat(this.budget.share(0)).isEqualTo(1);
	}

	@Test
	void waiterTakesItsShareWhenItIsReleased() throws Exception {
		assertThat(this.budget.tryAcquire(100, 0)).isTrue();
		Thread releaser = new Thread(() -> this.budget.release(100));
		releaser.start();
		assertThat(this.budget.tryAcquire(60, 60_000_000_000L)).isTrue();
		releaser.join();
		assertThat(this.budget.inFlight()).isEqualTo(60);
	}

}
