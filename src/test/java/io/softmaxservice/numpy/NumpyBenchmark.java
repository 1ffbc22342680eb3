package io.softmaxservice.numpy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.softmax.SoftmaxCall;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.softmax.SoftmaxValidator;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The binary data path of one large {@code POST /softmax}: binding a {@code .npz} body
 * into the request record ({@code read}), validating it ({@code validate}), computing
 * ({@code compute}: the kernel, from the tensor as read, including its copies into and
 * out of ND4J) and writing the {@code .npz} answer ({@code write}), and all four one
 * after the other ({@code all}); the contract asks reading plus writing to cost at most
 * 10% of the computation. {@code compute} is split into its parts, which every format
 * pays: the copy into ND4J ({@code copyIn}), the softmax on ND4J's array
 * ({@code softmaxInPlace}) and the copy out as the answer's bytes with their CRC-32
 * ({@code copyOut}). {@code allFromAnOwnedCopy} and {@code allFromACopyKeptApart} run all
 * four from a new copy of the body, as HTTP does, with and without the answer written
 * into it. Not a test: run it as the README says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class NumpyBenchmark {

	/** Rows and classes of the logits. */
	@Param({ "64x32000" })
	public String shape;

	/** The array's element type. */
	@Param({ "FLOAT64", "FLOAT32" })
	public DType dtype;

	/**
	 * ND4J's threads per op, as the service sets them
	 * ({@code softmax.kernel.nd4j-threads}, 1 by default); 0 leaves ND4J's own, a thread
	 * per core. Each value runs in a fork of its own, since ND4J keeps the setting for
	 * the process.
	 */
	@Param({ "1", "0" })
	public int nd4jThreads;

	private final NumpyRequestBinder binder = new NumpyRequestBinder(4_194_304);

	private final SoftmaxKernel kernel = new SoftmaxKernel(KernelProperties.DEFAULT);

	private final SoftmaxValidator validator = new SoftmaxValidator();

	private byte[] body;

	private Tensor logits;

	private Tensor probabilities;

	/** Probabilities in ND4J: softmax of them again stays finite, so they are reused. */
	private INDArray array;

	@Setup
	public void setUp() throws IOException {
		if (this.nd4jThreads > 0) {
			Nd4j.getEnvironment().setMaxMasterThreads(this.nd4jThreads);
		}
		String[] dims = this.shape.split("x");
		int rows = Integer.parseInt(dims[0]);
		int classes = Integer.parseInt(dims[1]);
		Random random = new Random(1);
		double[] values = new double[rows * classes];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.dtype.round(random.nextGaussian() * 3);
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		NpzWriter.write(Map.of("logits", new Tensor(new int[] { rows, classes }, values, this.dtype)), out);
		this.body = out.toByteArray();
		this.logits = read().logits();
		this.probabilities = compute();
		this.array = Nd4jTensors.toArray(this.probabilities);
	}

	@TearDown
	public void tearDown() {
		this.array.close();
	}

	@Benchmark
	public SoftmaxRequest read() {
		return (SoftmaxRequest) this.binder.bindArchive(SoftmaxRequest.class, this.body, null, false);
	}

	@Benchmark
	public SoftmaxCall validate() {
		return this.validator.validate(new SoftmaxRequest(this.logits, 1, null, null, null, null));
	}

	@Benchmark
	public Tensor compute() {
		return this.kernel.apply(this.logits, 1, 1.0, false);
	}

	@Benchmark
	public void copyIn() {
		Nd4jTensors.toArray(this.logits).close();
	}

	@Benchmark
	public INDArray softmaxInPlace() {
		this.kernel.softmaxInPlace(this.array, 1, 1.0);
		return this.array;
	}

	@Benchmark
	public Tensor copyOut() {
		return Nd4jTensors.toBytes(this.array, this.dtype);
	}

	@Benchmark
	public void write() throws IOException {
		NpzWriter.write(Map.of("probabilities", this.probabilities), OutputStream.nullOutputStream());
	}

	/** All four, one after the other: what moving work between them saves in total. */
	@Benchmark
	public void all() throws IOException {
		Tensor answer = this.kernel.apply(this.validator.validate(read()));
		NpzWriter.write(Map.of("probabilities", answer), OutputStream.nullOutputStream());
	}

	/**
	 * All four from a body of the request's own, as over HTTP, whose bytes the answer is
	 * written into ({@code Tensor#lendBytes}); {@link #allFromACopyKeptApart} is the same
	 * without that, so the two differ by the answer's new array alone.
	 */
	@Benchmark
	public void allFromAnOwnedCopy() throws IOException {
		byte[] copy = this.body.clone();
		all(this.binder.bindArchive(SoftmaxRequest.class, copy, null, true));
	}

	@Benchmark
	public void allFromACopyKeptApart() throws IOException {
		byte[] copy = this.body.clone();
		all(this.binder.bindArchive(SoftmaxRequest.class, copy, null, false));
	}

	private void all(Object request) throws IOException {
		Tensor answer = this.kernel.apply(this.validator.validate((SoftmaxRequest) request));
		NpzWriter.write(Map.of("probabilities", answer), OutputStream.nullOutputStream());
	}

}
