package io.softmaxservice.system;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.softmaxservice.tensor.KernelProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link Nd4jWarmup} warms every kernel up once, started when every bean exists and
 * finished before its lifecycle has started, which is before the web server opens its
 * port: readiness turns UP only after that.
 */
class Nd4jWarmupTests {

	private int masterThreads;

	@BeforeEach
	void rememberNd4jThreads() {
		this.masterThreads = Nd4j.getEnvironment().maxMasterThreads();
	}

	@AfterEach
	void restoreNd4jThreads() {
		Nd4j.getEnvironment().setMaxMasterThreads(this.masterThreads);
	}

	@Test
	void runsEveryKernelOnceWhenStarted() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add("a"), () -> warmed.add("b")),
				KernelProperties.DEFAULT);
		warmup.start();
		assertThat(warmed).containsExactly("a", "b");
		assertThat(warmup.isRunning()).isTrue();
	}

	@Test
	void warmsUpInTheBackgroundOnceEveryBeanExistsAndStartWaitsForIt() {
		List<String> warmed = new CopyOnWriteArrayList<>();
		Nd4jWarmup warmup = new Nd4jWarmup(List.of(() -> warmed.add(Thread.currentThread().getName())),
				KernelProperties.DEFAULT);
		warmup.afterSingletonsInstantiated();
		warmup.start();
		assertThat(warmed).containsExactly("kernel-warmup");
	}

	@Test
	void startsAfterTheHttpWarmupAndBeforeTheWebServer() {
		assertThat(new Nd4jWarmup(List.of(), KernelProperties.DEFAULT).getPhase()).isEqualTo(Nd4jWarmup.PHASE)
			.isGreaterThan(HttpWarmup.PHASE)
			.isLessThan(HttpWarmup.WEB_SERVER_START_PHASE);
	}

	@Test
	void setsTheThreadsOfEachNd4jOpBeforeTheKernelsRun() {
		Environment environment = Nd4j.getEnvironment();
		environment.setMaxMasterThreads(2);
		assumeThat(environment.maxMasterThreads()).as("ND4J allows no more threads than cores").isEqualTo(2);
		List<Integer> seen = new CopyOnWriteArrayList<>();
		new Nd4jWarmup(List.of(() -> seen.add(environment.maxMasterThreads())),
				new KernelProperties(4096, 1, KernelProperties.DEFAULT.parallelMinElements()))
			.start();
		assertThat(seen).containsExactly(1);
	}

	@Test
	void leavesNd4jItsOwnThreadsWhenTheyAreZero() {
		Environment environment = Nd4j.getEnvironment();
		environment.setMaxMasterThreads(2);
		assumeThat(environment.maxMasterThreads()).as("ND4J allows no more threads than cores").isEqualTo(2);
		new Nd4jWarmup(List.of(), new KernelProperties(4096, 0, KernelProperties.DEFAULT.parallelMinElements()))
			.start();
		assertThat(environment.maxMasterThreads()).isEqualTo(2);
	}

	@Test
	void oneThreadPerNd4jOpByDefault() {
		KernelProperties bound = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("softmax.kernel",
				KernelProperties.class);
		assertThat(bound).isEqualTo(KernelProperties.DEFAULT);
		assertThat(bound.nd4jThreads()).isOne();
		assertThat(bound.plainJavaMaxElements()).isEqualTo(4096);
		assertThat(bound.parallelMinElements()).isEqualTo(1_048_576);
	}

}
