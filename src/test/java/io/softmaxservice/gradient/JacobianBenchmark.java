package io.softmaxservice.gradient;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.SoftmaxServiceApplication;
import io.softmaxservice.benchmark.JsonMessages;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.KernelProperties;
import io.softmaxservice.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;

/**
 * The data path of the {@code jacobian_small} load ({@code POST /softmax/grad} with
 * {@code mode: "jacobian"} for 8 × 64 float64 logits: 10 KB of JSON in, a 8 × 64 × 64
 * Jacobian of about 720 KB out), from {@code /tmp/bench/payloads/jacobian_small.json}
 * when present, else the same shape generated: reading the body ({@code read}), checking
 * it ({@code validate}), the kernel ({@code kernel}, and with the softmax at the point on
 * each path: {@code kernelPlainJava}, {@code kernelNd4j}), writing the answer
 * ({@code write}) and all of it ({@code request}). Not a test: run it as the README says,
 * with {@code JacobianBenchmark} as the pattern.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class JacobianBenchmark {

	private static final Path PAYLOAD = Path.of("/tmp/bench/payloads/jacobian_small.json");

	private ConfigurableApplicationContext context;

	private HttpMessageConverter<Object> reader;

	private HttpMessageConverter<Object> writer;

	private SoftmaxGradValidator validator;

	private SoftmaxGradKernel kernel;

	private SoftmaxGradKernel plainJava;

	private SoftmaxGradKernel nd4j;

	private byte[] body;

	private SoftmaxGradRequest request;

	private SoftmaxGradCall call;

	private SoftmaxGradResponse response;

	@Setup(Level.Trial)
	@SuppressWarnings("unchecked")
	public void setUp() throws IOException {
		this.context = new SpringApplicationBuilder(SoftmaxServiceApplication.class).web(WebApplicationType.NONE)
			.run("--logging.level.root=warn", "--spring.main.banner-mode=off");
		for (HttpMessageConverter<?> converter : this.context.getBeansOfType(HttpMessageConverter.class).values()) {
			if (converter.canRead(SoftmaxGradRequest.class, MediaType.APPLICATION_JSON)) {
				this.reader = (HttpMessageConverter<Object>) converter;
			}
			if (converter.canWrite(SoftmaxGradResponse.class, MediaType.APPLICATION_JSON)) {
				this.writer = (HttpMessageConverter<Object>) converter;
			}
		}
		this.validator = this.context.getBean(SoftmaxGradValidator.class);
		this.kernel = this.context.getBean(SoftmaxGradKernel.class);
		this.plainJava = new SoftmaxGradKernel(new SoftmaxKernel(
				new KernelProperties(Integer.MAX_VALUE, 1, KernelProperties.DEFAULT.parallelMinElements())));
		this.nd4j = new SoftmaxGradKernel(
				new SoftmaxKernel(new KernelProperties(0, 1, KernelProperties.DEFAULT.parallelMinElements())));
		this.body = Files.exists(PAYLOAD) ? Files.readAllBytes(PAYLOAD)
				: JsonMessages.logits(8, 64, ", \"mode\": \"jacobian\"");
		this.request = read();
		this.call = validate();
		this.response = SoftmaxGradResponse.jacobian(kernel());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public SoftmaxGradRequest read() throws IOException {
		return (SoftmaxGradRequest) this.reader.read(SoftmaxGradRequest.class, JsonMessages.input(this.body));
	}

	@Benchmark
	public SoftmaxGradCall validate() {
		return this.validator.validate(this.request);
	}

	@Benchmark
	public Tensor kernel() {
		return this.kernel.apply(this.call);
	}

	@Benchmark
	public Tensor kernelPlainJava() {
		return this.plainJava.apply(this.call);
	}

	@Benchmark
	public Tensor kernelNd4j() {
		return this.nd4j.apply(this.call);
	}

	@Benchmark
	public void write() throws IOException {
		this.writer.write(this.response, MediaType.APPLICATION_JSON,
				JsonMessages.output(OutputStream.nullOutputStream()));
	}

	@Benchmark
	public void request() throws IOException {
		SoftmaxGradCall call = this.validator.validate(read());
		SoftmaxGradResponse response = SoftmaxGradResponse.jacobian(this.kernel.apply(call));
		this.writer.write(response, MediaType.APPLICATION_JSON, JsonMessages.output(OutputStream.nullOutputStream()));
	}

}
