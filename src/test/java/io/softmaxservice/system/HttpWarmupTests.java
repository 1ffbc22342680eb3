package io.softmaxservice.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpWarmup} sends every one of its requests to the running service, and each is
 * answered with 200 before readiness: a request the service refuses would warm up the
 * error path instead of the one it names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "softmax.warmup.http.duration=60s", "softmax.warmup.http.max-rounds=2" })
class HttpWarmupTests {

	@Autowired
	private HttpWarmup warmup;

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
	void warmUpWithoutWebServerSendsNothing() throws Exception {
		HttpWarmup offline = new HttpWarmup(new StaticApplicationContext(), Duration.ofSeconds(1), 2);
		offline.run(new DefaultApplicationArguments());
		assertThat(offline.answered()).isEmpty();
		assertThat(offline.failed()).isZero();
	}

}
