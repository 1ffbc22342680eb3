package io.softmaxservice.system;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Nd4jWarmup} warms every kernel up once, started when every bean exists and
 * finished before its lifecycle has started, which is before the web server opens its
 * port: readiness turns UP only after that.
 */
class Nd4jWarmupTests {

	@Test
	void runsEveryKernelOnceWhenStarted() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add("a"), () -> warmed.add("b")));
		warmup.start();
		assertThat(warmed).containsExactly("a", "b");
		assertThat(warmup.isRunning()).isTrue();
	}

	@Test
	void warmsUpInTheBackgroundOnceEveryBeanExistsAndStartWaitsForIt() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add(Thread.currentThread().getName())));
		warmup.afterSingletonsInstantiated();
		warmup.start();
		assertThat(warmed).containsExactly("kernel-warmup");
	}

	@Test
	void startsAfterTheHttpWarmupAndBeforeTheWebServer() {
		assertThat(new Nd4jWarmup(List.of()).getPhase()).isEqualTo(Nd4jWarmup.PHASE)
			.isGreaterThan(HttpWarmup.PHASE)
			.isLessThan(HttpWarmup.WEB_SERVER_START_PHASE);
	}

}
