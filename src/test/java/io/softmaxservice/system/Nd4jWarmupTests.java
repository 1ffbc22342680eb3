package io.softmaxservice.system;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Nd4jWarmup} warms every kernel up, as an application runner: Spring Boot turns
 * readiness to ACCEPTING_TRAFFIC only after the runners have finished.
 */
class Nd4jWarmupTests {

	@Test
	void runsEveryKernelOnceAsAnApplicationRunner() {
		List<String> warmed = new ArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add("a"), () -> warmed.add("b")));
		assertThat(warmup).isInstanceOf(ApplicationRunner.class);
		warmup.run(new DefaultApplicationArguments());
		assertThat(warmed).containsExactly("a", "b");
	}

}
