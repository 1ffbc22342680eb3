package io.softmaxservice.system;

import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.jspecify.annotations.Nullable;
import org.nd4j.linalg.ops.transforms.Transforms;

import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * Starts loading ND4J (native libraries, backend, thread pools: over a second) on a
 * background thread as soon as the application starts, so that it runs in parallel with
 * Spring's start-up instead of after it; {@link Nd4jWarmup} waits for it before the
 * service reports ready. Registered in {@code META-INF/spring.factories}, since it runs
 * before any bean exists; not when the build's Spring AOT processing starts the
 * application only to write its bean definitions.
 */
class Nd4jPreloader implements ApplicationListener<ApplicationStartingEvent> {

	private static final Log log = LogFactory.getLog(Nd4jPreloader.class);

	private static @Nullable CompletableFuture<Long> loading;

	@Override
	public void onApplicationEvent(ApplicationStartingEvent event) {
		if (!Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			start();
		}
	}

	/**
	 * Starts loading ND4J unless it has started already.
	 * @return completes with the milliseconds the loading took, or exceptionally if ND4J
	 * cannot be loaded
	 */
	static synchronized CompletableFuture<Long> start() {
		if (loading == null) {
			CompletableFuture<Long> future = new CompletableFuture<>();
			Thread thread = new Thread(() -> load(future), "nd4j-preload");
			thread.setDaemon(true);
			thread.start();
			loading = future;
		}
		return loading;
	}

	private static void load(CompletableFuture<Long> future) {
		long start = System.nanoTime();
		try {
			for (DataType type : new DataType[] { DataType.DOUBLE, DataType.FLOAT }) {
				exerciseOps(type);
			}
			future.complete((System.nanoTime() - start) / 1_000_000);
		}
		catch (Throwable ex) {
			log.error("ND4J could not be loaded", ex);
			future.completeExceptionally(ex);
		}
	}

	/**
	 * Runs the kinds of ops the kernels use (reductions, broadcasts, transforms, the
	 * softmax op) once, which loads and initialises each of them.
	 */
	private static void exerciseOps(DataType type) {
		try (INDArray x = Nd4j.create(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 }, 'c').castTo(type);
				INDArray max = x.max(true, 1);
				INDArray shifted = x.subColumnVector(max);
				INDArray exp = Transforms.exp(shifted, true);
				INDArray sum = exp.sum(true, 1);
				INDArray log = Transforms.log(sum, true);
				INDArray probabilities = shifted.dup()) {
			exp.diviColumnVector(sum).muli(x).addi(log.mean());
			Nd4j.exec(new SoftMax(probabilities, probabilities, 1));
		}
	}

}
