package io.softmaxservice.system;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Turns readiness UP right after the web server has opened the service's port, which it
 * does only once ND4J's warm-up and the HTTP warm-up's part before the port are done,
 * instead of at the end of start-up (after the remaining lifecycles, the runners and the
 * ready listeners): the first request and the first UP readiness probe are answered at
 * the same moment.
 */
@Component
class ReadinessAtPortOpen extends StartupStep {

	/** Right after the web server's. */
	static final int PHASE = HttpWarmup.WEB_SERVER_START_PHASE + 1;

	private final ApplicationContext context;

	ReadinessAtPortOpen(ApplicationContext context) {
		super(PHASE);
		this.context = context;
	}

	@Override
	void run() {
		AvailabilityChangeEvent.publish(this.context, ReadinessState.ACCEPTING_TRAFFIC);
	}

}
