package io.softmaxservice.system;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpWarmup} sends every one of its requests once however short its duration, its
 * two clients sharing them: the first round through a cold JVM is the one that pays.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "softmax.warmup.http.duration=1ms")
class HttpWarmupFirstRoundTests {

	@Autowired
	private HttpWarmup warmup;

	@Test
	void warmUpShorterThanARoundSendsEveryRequestOnce() {
		assertThat(this.warmup.failed()).isZero();
		for (String path : this.warmup.answered().keySet()) {
			long sent = HttpWarmup.EXCHANGES.stream().filter((e) -> e.path().equals(path)).count();
			assertThat(this.warmup.answered().get(path)).as(path).isEqualTo(sent);
		}
		assertThat(this.warmup.answered()).containsOnlyKeys("/softmax", "/softmax/grad", "/cross-entropy");
	}

}
