package io.softmaxservice.system;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Nd4jPreloader} starts loading ND4J once, from {@code spring.factories}, before
 * any bean exists.
 */
class Nd4jPreloaderTests {

	@Test
	void startLoadsNd4jOnceAndReturnsTheSameLoadingEveryTime() {
		assertThat(Nd4jPreloader.start()).isSameAs(Nd4jPreloader.start());
		assertThat(Nd4jPreloader.start().join()).isNotNegative();
		assertThat(Nd4j.getBackend().getClass().getSimpleName()).isEqualTo("CpuBackend");
	}

	@Test
	@SuppressWarnings("rawtypes")
	void isRegisteredAsAnApplicationListenerInSpringFactories() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
			.anySatisfy((listener) -> assertThat(listener).isInstanceOf(Nd4jPreloader.class));
	}

}
