package io.softmaxservice.system;

import org.springframework.stereotype.Component;

/**
 * Goes on with {@link HttpWarmup} once the web server has opened the service's port, for
 * what is left of its duration after {@code before-port}.
 */
@Component
class HttpWarmupAfterPort extends StartupStep {

	/** After the web server's, which adds the service's connectors first. */
	static final int PHASE = HttpWarmup.WEB_SERVER_START_PHASE + 2;

	private final HttpWarmup warmup;

	HttpWarmupAfterPort(HttpWarmup warmup) {
		super(PHASE);
		this.warmup = warmup;
	}

	@Override
	void run() {
		this.warmup.continueAfterPort();
	}

}
