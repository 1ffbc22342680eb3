package io.softmaxservice.benchmark;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.crossentropy.CrossEntropyCall;
import io.softmaxservice.crossentropy.CrossEntropyKernel;
import io.softmaxservice.crossentropy.Reduction;
import io.softmaxservice.gradient.Point;
import io.softmaxservice.gradient.SoftmaxGradCall;
import io.softmaxservice.gradient.SoftmaxGradKernel;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The softmax kernel against ND4J's bare {@code SoftMax} op, and its plain-Java path
 * against ND4J for small tensors (which sets
 * {@code softmax.kernel.plain-java-max-elements}). Not a test: run it as the README says.
 *
 * <ul>
 * <li>{@code apply}, {@code applyLog}: what a request costs, copies in and out included,
 * on the path the default threshold picks;
 * <li>{@code applyPlainJava}, {@code applyNd4j}: the same on one path each;
 * <li>{@code bareSoftMaxOp} and {@code kernelInPlace}: ND4J's op alone and the kernel's
 * ND4J path on the same array (both first restore the logits with one copy);
 * <li>{@code gradVjp}, {@code crossEntropy}: the other two kernels (a vector-Jacobian
 * product from logits; cross-entropy with class-index targets and its gradient).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class KernelBenchmark {

	/** Rows and classes of the logits, softmax along the classes. */
	@Param({ "1x10", "1024x32000" })
	public String shape;

	@Param({ "float64", "float32" })
	public String dtype;

	@Param({ "1", "0.5" })
	public double temperature;

	private final SoftmaxKernel kernel = new SoftmaxKernel(KernelProperties.DEFAULT);

	private final SoftmaxKernel plainJava = new SoftmaxKernel(
			new KernelProperties(Integer.MAX_VALUE, 1, KernelProperties.DEFAULT.parallelMinElements()));

	private final SoftmaxKernel nd4j = new SoftmaxKernel(
			new KernelProperties(0, 1, KernelProperties.DEFAULT.parallelMinElements()));

	private final SoftmaxGradKernel grad = new SoftmaxGradKernel(this.kernel);

	private final CrossEntropyKernel crossEntropy = new CrossEntropyKernel(this.kernel);

	private Tensor logits;

	private Tensor gradOutput;

	private Tensor targets;

	private INDArray x;

	private INDArray z;

	@Setup(Level.Trial)
	public void setUp() {
		String[] dims = this.shape.split("x");
		int[] shape = { Integer.parseInt(dims[0]), Integer.parseInt(dims[1]) };
		Random random = new Random(1);
		double[] values = new double[shape[0] * shape[1]];
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextGaussian() * 3;
		}
		DType type = this.dtype.equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
		this.logits = Tensor.of(shape, values).as(type);
		double[] g = new double[values.length];
		for (int i = 0; i < g.length; i++) {
			g[i] = random.nextGaussian();
		}
		this.gradOutput = Tensor.of(shape, g).as(type);
		double[] classes = new double[shape[0]];
		for (int i = 0; i < classes.length; i++) {
			classes[i] = random.nextInt(shape[1]);
		}
		this.targets = Tensor.of(new int[] { shape[0] }, classes);
		this.x = Nd4j.create(this.logits.values(), this.logits.longShape(), 'c');
		this.z = this.x.dup();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.x.close();
		this.z.close();
	}

	@Benchmark
	public Tensor apply() {
		return this.kernel.apply(this.logits, 1, this.temperature, false);
	}

	@Benchmark
	public Tensor applyLog() {
		return this.kernel.apply(this.logits, 1, this.temperature, true);
	}

	@Benchmark
	public Tensor applyPlainJava() {
		return this.plainJava.apply(this.logits, 1, this.temperature, false);
	}

	@Benchmark
	public Tensor applyNd4j() {
		return this.nd4j.apply(this.logits, 1, this.temperature, false);
	}

	@Benchmark
	public INDArray bareSoftMaxOp() {
		this.z.assign(this.x);
		Nd4j.exec(new SoftMax(this.z, this.z, 1));
		return this.z;
	}

	@Benchmark
	public INDArray kernelInPlace() {
		this.z.assign(this.x);
		this.kernel.softmaxInPlace(this.z, 1, this.temperature);
		return this.z;
	}

	@Benchmark
	public Tensor gradVjp() {
		return this.grad.apply(new SoftmaxGradCall(Point.LOGITS, this.logits, this.gradOutput,
				io.softmaxservice.gradient.Mode.VJP, 1, this.temperature, false));
	}

	@Benchmark
	public Object crossEntropy() {
		return this.crossEntropy.apply(new CrossEntropyCall(this.logits, 1, this.targets, false, null,
				CrossEntropyCall.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0, true));
	}

}
