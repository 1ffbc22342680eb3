package io.softmaxservice.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.SoftmaxServiceApplication;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.softmax.SoftmaxResponse;
import io.softmaxservice.tensor.DType;
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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;

/**
 * JSON reading and writing of the 64 × 32000 float64 {@code POST /softmax} body
 * ({@code /tmp/bench/payloads/large.json} from {@code ../shared/bench/payloads.py} when
 * present, else the same shape generated here): the byte-level converters of
 * {@code io.softmaxservice.json} against Jackson with the tensor serializers. MB/s is the
 * body's size (about 41 MB in, 39 MB out) over the time. The answer of 2,048,000 values
 * is written as it is served, twice: once to count its bytes for its
 * {@code Content-Length} (keeping each value's digits), then for real, from those digits;
 * {@code writeFloat64Half}, its first 32 rows, is below that size and streams in one
 * pass. Not a test: run it as the README says, with {@code JsonBenchmark} as the pattern.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class JsonBenchmark {

	private static final Path PAYLOAD = Path.of("/tmp/bench/payloads/large.json");

	private ConfigurableApplicationContext context;

	private JsonMapper json;

	private HttpMessageConverter<Object> reader;

	private HttpMessageConverter<Object> writer;

	private byte[] body;

	private SoftmaxResponse response;

	private SoftmaxResponse response32;

	private SoftmaxResponse half;

	@Setup(Level.Trial)
	@SuppressWarnings("unchecked")
	public void setUp() throws IOException {
		this.context = new SpringApplicationBuilder(SoftmaxServiceApplication.class).web(WebApplicationType.NONE)
			.run("--logging.level.root=warn", "--spring.main.banner-mode=off");
		this.json = this.context.getBean(JsonMapper.class);
		for (HttpMessageConverter<?> converter : this.context.getBeansOfType(HttpMessageConverter.class).values()) {
			if (converter.canRead(SoftmaxRequest.class, MediaType.APPLICATION_JSON)) {
				this.reader = (HttpMessageConverter<Object>) converter;
			}
			if (converter.canWrite(SoftmaxResponse.class, MediaType.APPLICATION_JSON)) {
				this.writer = (HttpMessageConverter<Object>) converter;
			}
		}
		this.body = Files.exists(PAYLOAD) ? Files.readAllBytes(PAYLOAD) : JsonMessages.logits(64, 32000, "");
		Tensor logits = readScanner().logits();
		this.response = new SoftmaxResponse(logits, null);
		double[] rounded = logits.values().clone();
		for (int i = 0; i < rounded.length; i++) {
			rounded[i] = (float) rounded[i];
		}
		this.response32 = new SoftmaxResponse(new Tensor(logits.shape(), rounded, DType.FLOAT32), null);
		int[] halfShape = { logits.shape()[0] / 2, logits.shape()[1] };
		this.half = new SoftmaxResponse(
				new Tensor(halfShape, Arrays.copyOf(logits.values(), halfShape[0] * halfShape[1]), DType.FLOAT64),
				null);
		System.out.printf("%nbody %d bytes, answer %d bytes (float64), %d bytes (float32)%n", this.body.length,
				count(this.response), count(this.response32));
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public SoftmaxRequest readJackson() {
		return this.json.readValue(this.body, SoftmaxRequest.class);
	}

	@Benchmark
	public SoftmaxRequest readScanner() throws IOException {
		return (SoftmaxRequest) this.reader.read(SoftmaxRequest.class, JsonMessages.input(this.body));
	}

	@Benchmark
	public void writeJackson() {
		this.json.writeValue(OutputStream.nullOutputStream(), this.response);
	}

	@Benchmark
	public void writeFloat64() throws IOException {
		this.writer.write(this.response, MediaType.APPLICATION_JSON,
				JsonMessages.output(OutputStream.nullOutputStream()));
	}

	@Benchmark
	public void writeFloat64Half() throws IOException {
		this.writer.write(this.half, MediaType.APPLICATION_JSON, JsonMessages.output(OutputStream.nullOutputStream()));
	}

	@Benchmark
	public void writeFloat32() throws IOException {
		this.writer.write(this.response32, MediaType.APPLICATION_JSON,
				JsonMessages.output(OutputStream.nullOutputStream()));
	}

	private long count(SoftmaxResponse response) throws IOException {
		long[] count = new long[1];
		OutputStream counter = new OutputStream() {

			@Override
			public void write(int b) {
				count[0]++;
			}

			@Override
			public void write(byte[] b, int off, int len) {
				count[0] += len;
			}

		};
		this.writer.write(response, MediaType.APPLICATION_JSON, JsonMessages.output(counter));
		return count[0];
	}

}
