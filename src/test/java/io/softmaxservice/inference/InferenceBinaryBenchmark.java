package io.softmaxservice.inference;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.SoftmaxServiceApplication;
import io.softmaxservice.inference.InferenceRunner.Result;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorLimits;
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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;

/**
 * Where the time of one 64 x 32000 FP32 softmax sent with the binary tensor data
 * extension goes: the kernel alone, and the whole path from body bytes to response bytes
 * (reading, validating, the kernel, writing), with reading and writing alone for
 * attribution. The time outside the kernel is {@code inferBinary - kernel}; the target is
 * at most 10% of {@code kernel}. Not a test: run it as the README says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class InferenceBinaryBenchmark {

	private static final int ROWS = 64;

	private static final int CLASSES = 32000;

	private ConfigurableApplicationContext context;

	private InferenceRequestParser parser;

	private InferenceRunner runner;

	private InferenceResponseWriter writer;

	private SoftmaxKernel kernel;

	private byte[] body;

	private int headerLength;

	private Tensor logits;

	private InferenceResponse response;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = new SpringApplicationBuilder(SoftmaxServiceApplication.class).web(WebApplicationType.NONE)
			.run("--logging.level.root=warn", "--spring.main.banner-mode=off");
		this.parser = new InferenceRequestParser(this.context.getBean(JsonMapper.class),
				this.context.getBean(TensorLimits.class).maxElements(), (bytes) -> {
				});
		this.runner = this.context.getBean(InferenceRunner.class);
		this.writer = new InferenceResponseWriter(this.context.getBean(JsonMapper.class));
		this.kernel = this.context.getBean(SoftmaxKernel.class);
		int count = ROWS * CLASSES;
		byte[] header = ("{\"inputs\":[{\"name\":\"logits\",\"shape\":[" + ROWS + "," + CLASSES
				+ "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + count * 4
				+ "}}],\"outputs\":[{\"name\":\"probabilities\",\"parameters\":{\"binary_data\":true}}]}")
			.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(header.length + count * 4).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put(header);
		Random random = new Random(1);
		for (int i = 0; i < count; i++) {
			buffer.putFloat((float) (random.nextGaussian() * 3));
		}
		this.body = buffer.array();
		this.headerLength = header.length;
		InferenceRequest request = read();
		this.logits = request.input("logits").tensor();
		this.response = InferenceResponse.of(InferenceModel.SOFTMAX, request,
				this.runner.run(InferenceModel.SOFTMAX, request));
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	/** Reading alone: the JSON header and the binary logits into a tensor. */
	@Benchmark
	public InferenceRequest read() {
		return this.parser.parse(this.body, this.headerLength);
	}

	/** The softmax kernel alone, on the tensor the request reads into. */
	@Benchmark
	public Tensor kernel() {
		return this.kernel.apply(this.logits, 1, 1.0, false);
	}

	/** Writing alone: the JSON header and the binary probabilities. */
	@Benchmark
	public void write() throws Exception {
		this.writer.write(this.response, MediaType.APPLICATION_OCTET_STREAM, new NullOutputMessage());
	}

	/** Everything: body bytes in, response bytes out. */
	@Benchmark
	public void inferBinary() throws Exception {
		InferenceRequest request = read();
		Map<String, Result> results = this.runner.run(InferenceModel.SOFTMAX, request);
		InferenceResponse response = InferenceResponse.of(InferenceModel.SOFTMAX, request, results);
		this.writer.write(response, MediaType.APPLICATION_OCTET_STREAM, new NullOutputMessage());
	}

	private static final class NullOutputMessage implements HttpOutputMessage {

		private final HttpHeaders headers = new HttpHeaders();

		@Override
		public OutputStream getBody() {
			return OutputStream.nullOutputStream();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

}
