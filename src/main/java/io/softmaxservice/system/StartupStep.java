package io.softmaxservice.system;

import org.springframework.context.SmartLifecycle;

/**
 * A step of start-up that runs once each time the context's lifecycle reaches its phase;
 * it holds nothing that needs stopping.
 */
abstract class StartupStep implements SmartLifecycle {

	private final int phase;

	private volatile boolean running;

	StartupStep(int phase) {
		this.phase = phase;
	}

	/** What the step does, on the thread that starts the context. */
	abstract void run();

	@Override
	public final void start() {
		this.running = true;
		run();
	}

	@Override
	public final void stop() {
		this.running = false;
	}

	@Override
	public final boolean isRunning() {
		return this.running;
	}

	@Override
	public final int getPhase() {
		return this.phase;
	}

}
