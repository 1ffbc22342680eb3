package io.softmaxservice.benchmark;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.SoftmaxServiceApplication;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.softmax.SoftmaxResponse;
import io.softmaxservice.tensor.Tensor;
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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the time of one large {@code POST /softmax} goes, with the application's own JSON
 * configuration and kernel: reading the body into a tensor, computing, writing the
 * response, and all three. Not a test: run it as the README says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class DataPathBenchmark {

	/** Rows and classes of the logits. */
	@Param({ "64x32000" })
	public String shape;

	private ConfigurableApplicationContext context;

	private JsonMapper json;

	private SoftmaxKernel kernel;

	private byte[] body;

	private Tensor logits;

	private Tensor probabilities;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = new SpringApplicationBuilder(SoftmaxServiceApplication.class).web(WebApplicationType.NONE)
			.run("--logging.level.root=warn", "--spring.main.banner-mode=off");
		this.json = this.context.getBean(JsonMapper.class);
		this.kernel = this.context.getBean(SoftmaxKernel.class);
		String[] dims = this.shape.split("x");
		int rows = Integer.parseInt(dims[0]);
		int classes = Integer.parseInt(dims[1]);
		this.body = JsonMessages.logits(rows, classes, "");
		this.logits = read().logits();
		this.probabilities = compute();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public SoftmaxRequest read() {
		return this.json.readValue(this.body, SoftmaxRequest.class);
	}

	@Benchmark
	public Tensor compute() {
		return this.kernel.apply(this.logits, 1, 1.0, false);
	}

	@Benchmark
	public void write() {
		this.json.writeValue(OutputStream.nullOutputStream(), new SoftmaxResponse(this.probabilities, null));
	}

	@Benchmark
	public void readComputeWrite() {
		Tensor out = this.kernel.apply(read().logits(), 1, 1.0, false);
		this.json.writeValue(OutputStream.nullOutputStream(), new SoftmaxResponse(out, null));
	}

}
