package io.softmaxservice.system;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ServletRequest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * First come, first served turns for small requests, four per core: a request whose whole
 * body arrived with its headers takes a turn before it is handled and gives it back
 * before its answer is written. Under load the small requests then run a few per core at
 * a time, in arrival order, instead of all at once in the scheduler's time slices, which
 * keeps their latency tail short ({@code softmax.load.turns}, four per CPU by default). A
 * request still uploading holds no turn, so a slow client never blocks one, and a turn
 * not had in time is skipped, never refused.
 */
@Component
class ComputeTurns {

	private static final String TURN = ComputeTurns.class.getName() + ".turn";

	/**
	 * Turns per CPU by default: with one, each request after the first waited for a
	 * hand-off from another thread (a park and an unpark), which cost as much CPU as a 1
	 * × 10 softmax itself once Spring MVC's dispatch was skipped; with two, a core always
	 * had the next request ready, but the hand-offs still took about an eighth of the
	 * server's CPU under 1 × 10 softmaxes from 32 connections; with four a request cost
	 * 10–25% less CPU, at a p99 of 6.5–10 ms against 5.3–7.7.
	 */
	static final int TURNS_PER_CPU = 4;

	private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final Semaphore turns;

	@Autowired
	ComputeTurns(SoftmaxProperties properties) {
		this((properties.load().turns() > 0) ? properties.load().turns()
				: TURNS_PER_CPU * Runtime.getRuntime().availableProcessors());
	}

	ComputeTurns(int turns) {
		this.turns = new Semaphore(turns, true);
	}

	/**
	 * Takes a turn for the request, waiting briefly for one.
	 * @param request a request whose body has fully arrived
	 */
	void take(ServletRequest request) {
		try {
			if (this.turns.tryAcquire(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
				request.setAttribute(TURN, Boolean.TRUE);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Gives the request's turn back, if it holds one.
	 * @param request the request
	 */
	void giveBack(ServletRequest request) {
		if (request.getAttribute(TURN) != null) {
			request.removeAttribute(TURN);
			this.turns.release();
		}
	}

	int available() {
		return this.turns.availablePermits();
	}

}
