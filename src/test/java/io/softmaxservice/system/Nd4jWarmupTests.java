package io.softmaxservice.system;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Nd4jWarmup} warms every kernel up once, started when every bean exists and
 * finished before it returns as an application runner: Spring Boot turns readiness to
 * ACCEPTING_TRAFFIC only after the runners have finished.
 */
class Nd4jWarmupTests {

	@Test
	void runsEveryKernelOnceAsAnApplicationRunner() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add("a"), () -> warmed.add("b")));
		assertThat(warmup).isInstanceOf(ApplicationRunner.class);
		warmup.run(new DefaultApplicationArguments());
		assertThat(warmed).containsExactly("a", "b");
	}

	@Test
	void warmsUpInTheBackgroundOnceEveryBeanExistsAndTheRunnerWaitsForIt() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add(Thread.currentThread().getName())));
		warmup.afterSingletonsInstantiated();
		warmup.run(new DefaultApplicationArguments());
		assertThat(warmed).containsExactly("kernel-warmup");
	}

}
