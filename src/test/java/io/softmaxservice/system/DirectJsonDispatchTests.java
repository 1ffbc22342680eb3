package io.softmaxservice.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.filter.OncePerRequestFilter;

import static io.softmaxservice.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DirectJsonDispatch}: plain small JSON and {@code .npz} requests are answered
 * without Spring MVC, byte for byte as Spring MVC answers them; every other request, and
 * every failure, is Spring MVC's. Whether Spring MVC answered shows as the handler it
 * chose (none when the direct path answered); marking the filter as already applied
 * forces Spring MVC's way for comparison.
 */
@SpringBootTest
@AutoConfigureMockMvc
class DirectJsonDispatchTests {

	private static final String SKIP_DIRECT = "directJsonDispatch" + OncePerRequestFilter.ALREADY_FILTERED_SUFFIX;

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private DirectJsonDispatch dispatch;

	@Autowired
	private ComputeSlots slots;

	@Autowired
	private SoftmaxProperties properties;

	@Autowired
	private MeterRegistry meters;

	@Test
	void directPathsAreThePostEndpointsThatReadJsonTensors() {
		assertThat(this.dispatch.paths()).containsExactlyInAnyOrder("/softmax", "/softmax/grad", "/cross-entropy");
	}

	@Test
	void softmaxWhenPlainJsonIsAnsweredWithoutSpringMvc() {
		MvcTestResult result = this.mvc.perform(post("/softmax", "{\"logits\": [[1, 2, 3]]}"));
		String answer = "{\"probabilities\":[[0.09003057317038046,0.24472847105479764,0.6652409557748218]]}";
		assertThat(result).hasStatusOk().hasContentType("application/json");
		assertThat(result.getMvcResult().getHandler()).isNull();
		assertThat(result).bodyText().isEqualTo(answer);
		assertThat(result.getResponse().getContentLength()).isEqualTo(answer.length());
	}

	@ParameterizedTest(name = "{1} {2}")
	@CsvSource(delimiterString = " | ", textBlock = """
			200 | /softmax       | {"logits": [[1, 2, 3], [1, 1, 1]]}
			200 | /softmax       | {"logits": [0, -Infinity], "log": true}
			200 | /softmax       | {"logits": [[1, 2], [3, 4]], "axis": 0, "dtype": "float32", "temperature": 0.5}
			200 | /softmax       | {"logits": [[1, 2, 3]], "mask": [[true, false, true]]}
			200 | /softmax/grad  | {"logits": [[1, 2, 3]], "grad_output": [[0.5, -1, 2]]}
			200 | /softmax/grad  | {"logits": [[1, 2], [3, 4]], "mode": "jacobian"}
			200 | /cross-entropy | {"logits": [[1, 2, 3], [3, 2, 1]], "target": [2, 0], "include_grad": true}
			200 | /cross-entropy | {"logits": [[1, 2, 3]], "target": [[0.2, 0.3, 0.5]], "reduction": "none"}
			400 | /softmax       | {"logits": [[1, 2], [3]]}
			400 | /softmax       | {"logits": [[1, 2]], "axis": 5}
			400 | /softmax       | {"logits": [[1, 2]], "unknown": 1}
			400 | /softmax       | {"logits": [[1, NaN]]}
			400 | /softmax/grad  | {"logits": [[1, 2]], "grad_output": [[1, 2, 3]]}
			400 | /cross-entropy | {"logits": [[1, 2]], "target": [7]}
			400 | /cross-entropy | [1, 2]
			400 | /softmax       | {"logits": [[1, 2]
			""")
	void answerIsTheSameAsSpringMvcs(int status, String path, String body) {
		assertAnsweredDirectlyAsSpringMvcWould(status, () -> post(path, body));
	}

	@Test
	void softmaxWhenBodyIsInvalidIsAnsweredBySpringMvcWithThePointer() {
		MvcTestResult result = this.mvc.perform(post("/softmax", "{\"logits\": [[1, 2], [3]]}"));
		assertThat(result.getMvcResult().getHandler()).isNotNull();
		assertProblem(result, 400, "/logits/1", "ragged");
	}

	@Test
	void softmaxWhenBodyIsNotUtf8IsRefusedAsSpringMvcRefusesIt() {
		byte[] utf16 = "{\"logits\": [1, 2]}".getBytes(StandardCharsets.UTF_16LE);
		MvcTestResult result = this.mvc
			.perform(this.mvc.post().uri("/softmax").contentType("application/json").content(utf16));
		assertThat(result.getMvcResult().getHandler()).isNotNull();
		assertThat(result).hasStatus(415).hasContentType("application/problem+json");
		assertThat(result).bodyText().contains("not UTF-8");
	}

	@Test
	void softmaxWhenBudgetIsSpentIsShedBySpringMvcWithoutWaitingAgain() {
		MockHttpServletRequest everything = new MockHttpServletRequest("POST", "/softmax") {

			@Override
			public long getContentLengthLong() {
				return Long.MAX_VALUE;
			}

		};
		this.slots.acquire(everything);
		try {
			MvcTestResult result = this.mvc.perform(post("/softmax", "{\"logits\": [1, 2]}"));
			assertThat(result).hasStatus(503).headers().containsHeader(HttpHeaders.RETRY_AFTER);
			assertThat(result.getMvcResult().getHandler()).isNotNull();
			assertThat(result.getMvcResult().getRequest().getAttribute(ComputeSlots.class.getName() + ".refused"))
				.isEqualTo(Boolean.TRUE);
		}
		finally {
			this.slots.release(everything);
		}
	}

	@ParameterizedTest(name = "{0} body, {1}: {2}")
	@CsvSource(delimiterString = " | ", textBlock = """
			json | Accept         | application/x-npz
			json | Accept         | application/json; nonfinite=null
			json | Accept         | application/json, */*
			json | Origin         | https://example.org
			json | Content-Type   | application/json; charset="utf-8"
			json | Content-Type   | application/vnd.api+json
			npz  | Accept         | application/json
			npz  | Accept         | application/x-npy
			npz  | Accept         | application/x-npz, application/json
			npz  | Origin         | https://example.org
			npz  | Content-Type   | application/x-npy
			""")
	void requestWithOtherHeadersIsAnsweredBySpringMvc(String body, String header, String value) throws IOException {
		MockMvcRequestBuilder request = body.equals("npz") ? postNpz("/softmax", npz("logits"))
				: post("/softmax", "{\"logits\": [1, 2]}");
		if (header.equals("Content-Type")) {
			request.contentType(value);
		}
		else {
			request.header(header, value);
		}
		assertThat(this.mvc.perform(request).getMvcResult().getHandler()).isNotNull();
	}

	@Test
	void requestWithQueryStringIsAnsweredBySpringMvc() {
		MvcTestResult result = this.mvc.perform(post("/softmax?axis=0", "{\"logits\": [1, 2]}"));
		assertThat(result.getMvcResult().getHandler()).isNotNull();
		assertProblem(result, 400, "/axis", "not-allowed");
	}

	@Test
	void requestOverTheSizeIsAnsweredBySpringMvc() {
		String logits = "1.000000000000000, ".repeat(DirectJsonDispatch.MAX_BODY_BYTES / 19);
		MvcTestResult result = this.mvc.perform(post("/softmax", "{\"logits\": [" + logits + "1]}"));
		assertThat(result).hasStatusOk();
		assertThat(result.getMvcResult().getHandler()).isNotNull();
	}

	@Test
	void requestAtTheSizeIsAnsweredDirectly() {
		String head = "{\"logits\": [1, 2]";
		String body = head + " ".repeat(DirectJsonDispatch.MAX_BODY_BYTES - head.length() - 1) + "}";
		MvcTestResult result = this.mvc.perform(post("/softmax", body));
		assertThat(result).hasStatusOk();
		assertThat(result.getMvcResult().getHandler()).isNull();
	}

	@ParameterizedTest(name = "{1} {2}")
	@CsvSource(delimiterString = " | ", textBlock = """
			200 | /softmax                          | logits
			200 | /softmax?log=true&temperature=0.5 | logits
			200 | /softmax?axis=0                   | logits
			200 | /softmax/grad                     | logits, grad_output
			200 | /softmax/grad?mode=jacobian       | logits
			200 | /cross-entropy?include_grad=true  | logits, target
			400 | /softmax?axis=5                   | logits
			400 | /softmax?unknown=1                | logits
			400 | /softmax                          | logits, nope
			400 | /cross-entropy                    | logits
			""")
	void npzAnswerIsTheSameAsSpringMvcs(int status, String uri, String members) throws IOException {
		byte[] body = npz(members.split(", "));
		assertAnsweredDirectlyAsSpringMvcWould(status, () -> postNpz(uri, body));
	}

	@Test
	void npzRequestOverItsSizeIsAnsweredBySpringMvc() throws IOException {
		byte[] body = npz(new int[] { 1, DirectJsonDispatch.MAX_ARCHIVE_BYTES / 7 }, "logits");
		assertThat(body.length).isGreaterThan(DirectJsonDispatch.MAX_ARCHIVE_BYTES);
		MvcTestResult result = this.mvc.perform(postNpz("/softmax", body));
		assertThat(result).hasStatusOk().hasContentType("application/x-npz");
		assertThat(result.getMvcResult().getHandler()).isNotNull();
	}

	/**
	 * Sends the request twice, to the direct path and past it, and compares the answers:
	 * status, headers and bytes. Only successful answers are given directly.
	 */
	private void assertAnsweredDirectlyAsSpringMvcWould(int status, Supplier<MockMvcRequestBuilder> request) {
		MvcTestResult direct = this.mvc.perform(request.get());
		assertThat(direct).hasStatus(status);
		assertThat(direct.getMvcResult().getHandler() == null).as("answered directly").isEqualTo(status == 200);
		MvcTestResult springMvc = this.mvc.perform(request.get().requestAttr(SKIP_DIRECT, Boolean.TRUE));
		assertThat(springMvc.getMvcResult().getHandler()).isNotNull();
		assertThat(direct.getResponse().getStatus()).isEqualTo(springMvc.getResponse().getStatus());
		assertThat(direct.getResponse().getContentType()).isEqualTo(springMvc.getResponse().getContentType());
		assertThat(direct.getResponse().getHeaderNames())
			.containsExactlyInAnyOrderElementsOf(springMvc.getResponse().getHeaderNames());
		assertThat(direct.getResponse().getContentAsByteArray())
			.isEqualTo(springMvc.getResponse().getContentAsByteArray());
	}

	@Test
	void npzWhoseMembersInflatePastTheFreeBudgetIsShedWith503() throws IOException {
		int free = 1024 * 1024;
		MockHttpServletRequest almostEverything = holdAllBut(free);
		try {
			byte[] fits = zeros(100, 100);
			assertThat(this.mvc.perform(postNpz("/softmax", fits))).hasStatusOk();
			byte[] bomb = zeros(1024, 1024);
			assertThat(bomb.length).as("compressed").isLessThan(free / 16);
			MvcTestResult result = this.mvc.perform(postNpz("/softmax", bomb));
			assertThat(result).hasStatus(503).headers().containsHeader(HttpHeaders.RETRY_AFTER);
		}
		finally {
			this.slots.release(almostEverything);
		}
		assertThat(this.mvc.perform(postNpz("/softmax", zeros(1024, 1024)))).hasStatusOk();
	}

	@Test
	void jacobianWhoseResultPassesTheFreeBudgetIsShedWith503BeforeItIsComputed() {
		int free = 1024 * 1024;
		// A 16 KB body whose Jacobian takes 256 × 256 float64s (512 KiB) or 512 × 512 (2
		// MiB).
		String fits = "{\"logits\": [[" + "0.5, ".repeat(255) + "1]], \"mode\": \"jacobian\"}";
		String tooLarge = "{\"logits\": [[" + "0.5, ".repeat(511) + "1]], \"mode\": \"jacobian\"}";
		String oip = "{\"inputs\": [{\"name\": \"logits\", \"shape\": [1, 512], \"datatype\": \"FP64\", "
				+ "\"data\": [" + "0.5, ".repeat(511) + "1]}], \"parameters\": {\"mode\": \"jacobian\"}}";
		MockHttpServletRequest almostEverything = holdAllBut(free);
		try {
			assertThat(this.mvc.perform(post("/softmax/grad", fits))).hasStatusOk();
			double computed = computedElements();
			for (MockMvcRequestBuilder request : List.of(post("/softmax/grad", tooLarge),
					post("/softmax/grad", tooLarge).requestAttr(SKIP_DIRECT, Boolean.TRUE),
					post("/v2/models/softmax_grad/infer", oip))) {
				assertThat(this.mvc.perform(request)).hasStatus(503).headers().containsHeader(HttpHeaders.RETRY_AFTER);
			}
			assertThat(computedElements()).as("none computed").isEqualTo(computed);
			assertThat(this.slots.inFlight()).isEqualTo(this.properties.load().workBudget().toBytes() - free);
		}
		finally {
			this.slots.release(almostEverything);
		}
		assertThat(this.mvc.perform(post("/softmax/grad", tooLarge))).hasStatusOk();
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void openInferenceBinaryFp16WiderThanTheFreeBudgetIsShedBeforeItIsDecoded() {
		// 2 MiB of FP16 logits in the body are 8 MiB as doubles: the body fits in the 4
		// MiB
		// left, its decoded values do not. The answer, a mean loss, is a few bytes.
		int free = 4 * 1024 * 1024;
		int elements = 1024 * 1024;
		byte[] json = ("{\"inputs\": [{\"name\": \"logits\", \"shape\": [1, " + elements
				+ "], \"datatype\": \"FP16\", \"parameters\": {\"binary_data_size\": " + 2 * elements + "}}, "
				+ "{\"name\": \"target\", \"shape\": [1], \"datatype\": \"INT64\", "
				+ "\"parameters\": {\"binary_data_size\": 8}}]}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] body = Arrays.copyOf(json, json.length + 2 * elements + 8);
		MockHttpServletRequest almostEverything = holdAllBut(free);
		try {
			assertThat(this.mvc.post()
				.uri("/v2/models/cross_entropy/infer")
				.contentType("application/octet-stream")
				.header("Inference-Header-Content-Length", json.length)
				.content(body)).hasStatus(503).headers().containsHeader(HttpHeaders.RETRY_AFTER);
			assertThat(this.slots.inFlight()).isEqualTo(this.properties.load().workBudget().toBytes() - free);
		}
		finally {
			this.slots.release(almostEverything);
		}
		assertThat(this.mvc.post()
			.uri("/v2/models/cross_entropy/infer")
			.contentType("application/octet-stream")
			.header("Inference-Header-Content-Length", json.length)
			.content(body)).hasStatusOk();
	}

	/** What the kernels of /softmax/grad (either API) have computed so far. */
	private double computedElements() {
		return this.meters.find(TensorElementsMetrics.METRIC)
			.counters()
			.stream()
			.filter((counter) -> counter.getId().getTag("endpoint").contains("grad"))
			.mapToDouble(Counter::count)
			.sum();
	}

	private MockMvcRequestBuilder postNpz(String uri, byte[] body) {
		return this.mvc.post().uri(uri).contentType("application/x-npz").content(body);
	}

	@Test
	void largeBodiesThatArriveWhileTheBudgetHasNoRoomAreShedWhileTheyArrive() throws IOException {
		int free = 1024 * 1024;
		MockHttpServletRequest almostEverything = holdAllBut(free);
		try {
			byte[] archive = npz(new int[] { 1, 2 * free / 8 }, "logits");
			String json = "{\"logits\": [" + "0.0, ".repeat(free / 2) + "1.0]}";
			for (MockMvcRequestBuilder request : List.of(postNpz("/softmax", archive), post("/softmax", json))) {
				MvcTestResult result = this.mvc.perform(request);
				assertThat(result).hasStatus(503)
					.headers()
					.containsHeader(HttpHeaders.RETRY_AFTER)
					.hasValue(HttpHeaders.CONNECTION, "close");
				assertThat(this.slots.inFlight()).isEqualTo(this.properties.load().workBudget().toBytes() - free);
			}
		}
		finally {
			this.slots.release(almostEverything);
		}
	}

	/** Takes all of the work budget but this many bytes, for the request it returns. */
	private MockHttpServletRequest holdAllBut(long free) {
		long held = this.properties.load().workBudget().toBytes() - free;
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax") {

			@Override
			public long getContentLengthLong() {
				return held;
			}

		};
		this.slots.acquire(request);
		return request;
	}

	/** A compressed archive of float64 zeros, about a thousandth of their size. */
	private static byte[] zeros(int rows, int columns) throws IOException {
		ByteArrayOutputStream archive = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(archive)) {
			zip.putNextEntry(new ZipEntry("logits.npy"));
			zip.write(npyHeader("<f8", "(" + rows + ", " + columns + ")"));
			zip.write(new byte[rows * columns * 8]);
			zip.closeEntry();
		}
		return archive.toByteArray();
	}

	private static byte[] npz(String... members) throws IOException {
		return npz(new int[] { 2, 3 }, members);
	}

	/**
	 * An archive as {@code np.savez_compressed} writes it: each member a float64 array of
	 * the shape (random values, which do not compress), except {@code target}, int64
	 * class indices, one per row.
	 */
	private static byte[] npz(int[] shape, String... members) throws IOException {
		ByteArrayOutputStream archive = new ByteArrayOutputStream();
		Random random = new Random(7);
		try (ZipOutputStream zip = new ZipOutputStream(archive)) {
			for (String member : members) {
				boolean target = member.equals("target");
				int count = target ? shape[0] : shape[0] * shape[1];
				ByteBuffer data = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
				for (int i = 0; i < count; i++) {
					if (target) {
						data.putLong(i % shape[1]);
					}
					else {
						data.putDouble(random.nextGaussian());
					}
				}
				String dims = target ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
				zip.putNextEntry(new ZipEntry(member + ".npy"));
				zip.write(npyHeader(target ? "<i8" : "<f8", dims));
				zip.write(data.array());
				zip.closeEntry();
			}
		}
		return archive.toByteArray();
	}

	/** The magic, version 1.0 and header of a {@code .npy} file, as NumPy pads it. */
	private static byte[] npyHeader(String descr, String shape) {
		String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
		header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
		ByteBuffer bytes = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
		bytes.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 }).putShort((short) header.length());
		return bytes.put(header.getBytes(StandardCharsets.ISO_8859_1)).array();
	}

	private MockMvcRequestBuilder post(String uri, String body) {
		return this.mvc.post().uri(uri).contentType("application/json").content(body);
	}

}
