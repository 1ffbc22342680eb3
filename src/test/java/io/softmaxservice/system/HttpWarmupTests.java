package io.softmaxservice.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpWarmup} sends every one of its requests through Tomcat before the service's
 * port opens, and each is answered with 200: a request the service refused would warm up
 * the error path instead of the one it names. The port opens, and readiness turns UP,
 * only after it; readiness right after the port, before the context's refresh ends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"softmax.warmup.http.duration=60s", "softmax.warmup.http.before-port=60s", "softmax.warmup.http.max-rounds=2" })
class HttpWarmupTests {

	@Autowired
	private HttpWarmup warmup;

	@Autowired
	private Milestones milestones;

	@Autowired
	private ApplicationContext context;

	@Test
	void warmUpIsAnsweredWith200ByEveryEndpointItNames() {
		assertThat(this.warmup.failed()).isZero();
		assertThat(this.warmup.answered()).containsOnlyKeys("/softmax", "/softmax/grad", "/cross-entropy");
		for (String path : this.warmup.answered().keySet()) {
			long sent = HttpWarmup.EXCHANGES.stream().filter((e) -> e.path().equals(path)).count();
			assertThat(this.warmup.answered().get(path)).as(path).isEqualTo(2 * 2 * sent);
		}
	}

	@Test
	void warmUpStartedAgainCountsOnlyItsOwnRun() {
		HttpWarmup again = new HttpWarmup(this.context,
				this.context.getBeanProvider(TomcatServletWebServerFactory.class), true, Duration.ofSeconds(60),
				Duration.ofSeconds(60), 1);
		for (int run = 0; run < 2; run++) {
			again.start();
			assertThat(again.failed()).isZero();
			assertThat(again.answered()).containsOnlyKeys("/softmax", "/softmax/grad", "/cross-entropy");
			for (String path : again.answered().keySet()) {
				long sent = HttpWarmup.EXCHANGES.stream().filter((e) -> e.path().equals(path)).count();
				assertThat(again.answered().get(path)).as(path).isEqualTo(2 * sent);
			}
		}
	}

	@Test
	void warmUpAlsoAsksForReadinessOncePerClientAndIsToldNotYet() {
		assertThat(this.warmup.probed()).isEqualTo(2);
	}

	@Test
	void warmUpIsOverBeforeThePortOpensAndBeforeReadiness() {
		int total = 2 * 2 * HttpWarmup.EXCHANGES.size();
		assertThat(this.milestones.answered).containsExactly("web server started after " + total,
				"ready after " + total, "context refreshed");
	}

	@Test
	void warmUpRunsInAPhaseBeforeTheWebServerStartsAndRemovesItsConnector() {
		int webServerPhase = this.context.getBean("webServerStartStop", SmartLifecycle.class).getPhase();
		assertThat(HttpWarmup.WEB_SERVER_START_PHASE).isEqualTo(webServerPhase);
		assertThat(this.warmup.getPhase()).isLessThan(Nd4jWarmup.PHASE);
		assertThat(Nd4jWarmup.PHASE).isLessThan(webServerPhase);
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Connector[] connectors = server.getTomcat().getService().findConnectors();
		assertThat(connectors).extracting(Connector::getLocalPort).containsExactly(server.getPort());
	}

	@Test
	void warmUpWithoutWebServerSendsNothing() {
		HttpWarmup offline = new HttpWarmup(new StaticApplicationContext(),
				new StaticListableBeanFactory().getBeanProvider(TomcatServletWebServerFactory.class), true,
				Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
		offline.start();
		assertThat(offline.isRunning()).isTrue();
		assertThat(offline.answered()).isEmpty();
		assertThat(offline.failed()).isZero();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class MilestonesConfiguration {

		@Bean
		Milestones milestones(HttpWarmup warmup) {
			return new Milestones(warmup);
		}

	}

	/**
	 * How many warm-up requests had been answered when the port opened and when readiness
	 * first turned UP, and whether that was before the end of the context's refresh.
	 */
	static class Milestones {

		final List<String> answered = new ArrayList<>();

		private final HttpWarmup warmup;

		private boolean ready;

		Milestones(HttpWarmup warmup) {
			this.warmup = warmup;
		}

		@EventListener
		void webServerStarted(WebServerInitializedEvent event) {
			this.answered.add("web server started after " + total());
		}

		@EventListener
		void readiness(AvailabilityChangeEvent<ReadinessState> event) {
			if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && !this.ready) {
				this.ready = true;
				this.answered.add("ready after " + total());
			}
		}

		@EventListener
		void refreshed(ContextRefreshedEvent event) {
			this.answered.add("context refreshed");
		}

		private int total() {
			return this.warmup.answered().values().stream().mapToInt(Integer::intValue).sum();
		}

	}

}
