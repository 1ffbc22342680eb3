package io.softmaxservice.system;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of work in flight, in units of request body bytes. A request takes its size
 * (at most the whole budget, so that one larger than the budget runs alone) and waits
 * while that much is not free. Small requests are not held behind a large one that waits:
 * each waiter takes its share as soon as it fits.
 */
class WorkBudget {

	private final long capacity;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private long inFlight;

	WorkBudget(long capacity) {
		this.capacity = Math.max(1, capacity);
	}

	/**
	 * The share a request of this size takes.
	 * @param size the request's size
	 * @return its share, in {@code [1, capacity]}
	 */
	long share(long size) {
		return Math.max(1, Math.min(size, this.capacity));
	}

	/**
	 * Takes a share, waiting up to the timeout for it to fit.
	 * @param share a value from {@link #share(long)}
	 * @param timeoutNanos how long to wait
	 * @return whether the share was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean tryAcquire(long share, long timeoutNanos) throws InterruptedException {
		long remaining = timeoutNanos;
		this.lock.lock();
		try {
			while (this.inFlight + share > this.capacity) {
				if (remaining <= 0) {
					return false;
				}
				remaining = this.released.awaitNanos(remaining);
			}
			this.inFlight += share;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Gives a share back.
	 * @param share what {@link #tryAcquire} took
	 */
	void release(long share) {
		this.lock.lock();
		try {
			this.inFlight -= share;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The units taken now.
	 * @return the work in flight
	 */
	long inFlight() {
		this.lock.lock();
		try {
			return this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
	}

	long capacity() {
		return this.capacity;
	}

}
