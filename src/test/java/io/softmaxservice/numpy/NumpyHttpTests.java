package io.softmaxservice.numpy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static io.softmaxservice.ProblemAssertions.assertProblem;
import static io.softmaxservice.ProblemAssertions.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NumPy formats over HTTP, through the same controllers as JSON: bodies bound into
 * the request records with the query string, answers negotiated by {@code Accept} (or the
 * body's format), errors as problem details with JSON-shaped pointers.
 */
@SpringBootTest
@AutoConfigureMockMvc
class NumpyHttpTests {

	private static final String NPZ = NumpyMediaTypes.NPZ_VALUE;

	private static final String NPY = NumpyMediaTypes.NPY_VALUE;

	private static final Tensor LOGITS = new Tensor(new int[] { 2, 3 },
			new double[] { 1, 2, 3, 0, Double.NEGATIVE_INFINITY, 0.5 }, DType.FLOAT64);

	@Autowired
	private MockMvcTester mvc;

	@Test
	void softmaxOfNpzAnswersNpzWithTheJsonAnswersValues() {
		MvcTestResult result = post("/softmax", NPZ, npz(Map.of("logits", LOGITS)), null);
		assertThat(result).hasStatusOk().hasContentType(NPZ);
		Map<String, Tensor> answer = readNpz(result);
		assertThat(answer).containsOnlyKeys("probabilities");
		Tensor probabilities = answer.get("probabilities");
		assertThat(probabilities.shape()).containsExactly(2, 3);
		assertThat(probabilities.dtype()).isEqualTo(DType.FLOAT64);
		MvcTestResult json = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"logits\": [[1, 2, 3], [0, -Infinity, 0.5]]}")
			.exchange();
		double[] expected = new double[6];
		for (int i = 0; i < 6; i++) {
			expected[i] = body(json).get("probabilities").get(i / 3).get(i % 3).asDouble();
		}
		assertThat(probabilities.values()).containsExactly(expected);
	}

	/**
	 * An answer computed by ND4J (more than 4096 elements) is written from the bytes
	 * copied out of it, with the CRC-32 taken on the way: its declared length is its
	 * length, and a streaming zip reader, which checks each member's CRC-32 against its
	 * local header, reads it whole.
	 */
	@ParameterizedTest
	@CsvSource({ "application/x-npz, FLOAT64", "application/x-npz, FLOAT32", "application/x-npy, FLOAT64" })
	void largeAnswerDeclaresItsLengthAndReadsBackWhole(String accept, DType dtype) throws IOException {
		double[] values = new double[3 * 2000];
		for (int i = 0; i < values.length; i++) {
			values[i] = dtype.round((i % 97) * 0.125 - 6);
		}
		Tensor logits = new Tensor(new int[] { 3, 2000 }, values, dtype);
		MvcTestResult result = post("/softmax", NPZ, npz(Map.of("logits", logits)), accept);
		assertThat(result).hasStatusOk().hasContentType(accept);
		byte[] answer = result.getResponse().getContentAsByteArray();
		assertThat(result.getResponse().getHeader("Content-Length")).isEqualTo(String.valueOf(answer.length));
		Tensor probabilities = accept.equals(NPY) ? readNpy(result) : readNpz(result).get("probabilities");
		assertThat(probabilities.shape()).containsExactly(3, 2000);
		assertThat(probabilities.dtype()).isEqualTo(dtype);
		assertThat(probabilities.get(96) / probabilities.get(0) / Math.exp(12)).isCloseTo(1, Offset.offset(1e-5));
		if (accept.equals(NPZ)) {
			try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(answer))) {
				ZipEntry entry = zip.getNextEntry();
				assertThat(entry.getName()).isEqualTo("probabilities.npy");
				assertThat(zip.readAllBytes()).hasSize((int) NpyWriter.size(probabilities));
				assertThat(zip.getNextEntry()).isNull();
			}
		}
	}

	/**
	 * A softmax computed by ND4J from a binary body is written into that body's bytes
	 * ({@code Tensor#lendBytes}); in every answer format it has the values of the same
	 * request in JSON, bit for bit, and a second request with the same body is answered
	 * the same (nothing is kept between requests).
	 */
	@ParameterizedTest
	@CsvSource({ "application/x-npz, application/x-npz, FLOAT64", "application/x-npz, application/x-npy, FLOAT32",
			"application/x-npy, application/json, FLOAT64", "application/x-npy, application/x-npy, FLOAT32" })
	void largeSoftmaxOfABinaryBodyHasTheValuesOfTheJsonRequest(String contentType, String accept, DType dtype) {
		java.util.Random random = new java.util.Random(17);
		double[] values = new double[4 * 1500];
		StringBuilder json = new StringBuilder("{\"logits\": [");
		for (int i = 0; i < values.length; i++) {
			values[i] = dtype.round(random.nextGaussian() * 5);
			json.append((i % 1500 == 0) ? ((i > 0) ? "], [" : "[") : ", ").append(values[i]);
		}
		json.append("]], \"temperature\": 0.75, \"dtype\": \"").append(dtype.wireName()).append("\"}");
		MvcTestResult expected = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.toString())
			.exchange();
		Tensor logits = new Tensor(new int[] { 4, 1500 }, values, dtype);
		byte[] body = contentType.equals(NPY) ? npy(logits) : npz(Map.of("logits", logits));
		for (int round = 0; round < 2; round++) {
			MvcTestResult result = post("/softmax?temperature=0.75", contentType, body.clone(), accept);
			assertThat(result).hasStatusOk().hasContentType(accept);
			double[] got = switch (accept) {
				case NPZ -> readNpz(result).get("probabilities").values();
				case NPY -> readNpy(result).values();
				default -> probabilities(result, dtype);
			};
			assertThat(got).containsExactly(probabilities(expected, dtype));
		}
	}

	@Test
	void queryParametersGiveTheOtherFields() {
		MvcTestResult result = post("/softmax?axis=0.0&log=true&temperature=2&dtype=float32", NPZ,
				npz(Map.of("logits", LOGITS)), null);
		assertThat(result).hasStatusOk();
		Tensor log = readNpz(result).get("log_probabilities");
		assertThat(log.dtype()).isEqualTo(DType.FLOAT32);
		assertThat(log.get(4)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(log.get(0)).isCloseTo(0.5 - Math.log(Math.exp(0.5) + 1), Offset.offset(1e-6));
	}

	@Test
	void npyBodyIsReadAsLogitsAndAnsweredAsNpy() {
		MvcTestResult result = post("/softmax", NPY, NumpyFixtures.bytes("f8_fortran.npy"), null);
		assertThat(result).hasStatusOk().hasContentType(NPY);
		Tensor probabilities = readNpy(result);
		assertThat(probabilities.shape()).containsExactly(3, 4);
		assertThat(probabilities.get(6)).isZero();
		assertThat(probabilities.values()[0] + probabilities.values()[1] + probabilities.values()[2]
				+ probabilities.values()[3])
			.isCloseTo(1.0, Offset.offset(1e-15));
	}

	@Test
	void float32AndFloat16ArraysAreComputedInFloat32WithoutDtype() {
		for (String fixture : new String[] { "f4_be.npy", "f2_le.npy" }) {
			MvcTestResult result = post("/softmax", NPY, NumpyFixtures.bytes(fixture), null);
			assertThat(result).hasStatusOk();
			assertThat(readNpy(result).dtype()).as(fixture).isEqualTo(DType.FLOAT32);
		}
		MvcTestResult wider = post("/softmax?dtype=float64", NPY, NumpyFixtures.bytes("f4_le.npy"), null);
		assertThat(readNpy(wider).dtype()).isEqualTo(DType.FLOAT64);
	}

	@Test
	void boolMaskMemberMasksClassesOut() throws IOException {
		ByteArrayOutputStream archive = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(archive)) {
			zip.putNextEntry(new ZipEntry("logits.npy"));
			zip.write(npy(Tensor.of(new int[] { 1, 3 }, 1, 2, 3)));
			zip.putNextEntry(new ZipEntry("mask.npy"));
			zip.write(NpyReaderTests.withHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (1, 3), }",
					new byte[] { 1, 0, 1 }));
		}
		MvcTestResult result = post("/softmax?log=true", NPZ, archive.toByteArray(), null);
		assertThat(result).hasStatusOk();
		Tensor log = readNpz(result).get("log_probabilities");
		assertThat(log.get(1)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(log.get(2)).isCloseTo(-Math.log1p(Math.exp(-2)), Offset.offset(1e-15));
		MvcTestResult floatMask = post("/softmax", NPZ, npz(Map.of("logits", LOGITS, "mask", LOGITS)), null);
		assertProblem(floatMask, 400, "/mask", "wrong-type");
	}

	@Test
	void answerFollowsAcceptOverTheBodysFormat() {
		assertThat(post("/softmax", NPZ, npz(Map.of("logits", LOGITS)), "application/json")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.bodyJson()
			.extractingPath("$.probabilities[1][1]")
			.isEqualTo(0.0);
		MvcTestResult npy = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(NPY)
			.content("{\"logits\": [1, 1]}")
			.exchange();
		assertThat(npy).hasStatusOk().hasContentType(NPY);
		assertThat(readNpy(npy).values()).containsExactly(0.5, 0.5);
		assertThat(post("/softmax", NPZ, npz(Map.of("logits", LOGITS)), "*/*")).hasContentType(NPZ);
	}

	@Test
	void jacobianOfAnNpyBody() {
		MvcTestResult result = post("/softmax/grad?mode=jacobian", NPY, npy(Tensor.of(new int[] { 2 }, 0, 0)), null);
		assertThat(result).hasStatusOk();
		assertThat(readNpy(result).values()).containsExactly(0.25, -0.25, -0.25, 0.25);
	}

	@Test
	void vjpFromAnArchive() {
		MvcTestResult result = post("/softmax/grad", NPZ, npz(
				Map.of("logits", Tensor.of(new int[] { 2 }, 0, 0), "grad_output", Tensor.of(new int[] { 2 }, 1, 0))),
				null);
		assertThat(readNpz(result).get("grad_logits").values()).containsExactly(0.25, -0.25);
	}

	@Test
	void crossEntropyWithIntegerTargetsAnswersLossAsZeroDimensionalArray() {
		byte[] archive = NumpyFixtures.bytes("savez.npz");
		MvcTestResult result = post("/cross-entropy?include_grad=true&reduction=sum", NPZ, archive, NPZ);
		assertThat(result).hasStatusOk();
		Map<String, Tensor> answer = readNpz(result);
		assertThat(answer).containsOnlyKeys("loss", "grad_logits");
		assertThat(answer.get("loss").rank()).isZero();
		assertThat(answer.get("grad_logits").shape()).containsExactly(4, 5);
		MvcTestResult loss = post("/cross-entropy?reduction=sum", NPZ, archive, NPY);
		assertThat(readNpy(loss).values()).containsExactly(answer.get("loss").values());
	}

	@Test
	void npyAnswerOfTwoFieldsIsRefusedWith406() {
		MvcTestResult result = post("/cross-entropy?include_grad=true", NPZ, NumpyFixtures.bytes("savez.npz"), NPY);
		assertThat(result).hasStatus(406).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(body(result).get("detail").asString()).contains("loss, grad_logits");
	}

	@Test
	void npyBodyOnCrossEntropyIsUnsupported() {
		assertThat(post("/cross-entropy", NPY, npy(LOGITS), null)).hasStatus(415)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/softmax?axsi=0 | /axsi | unknown-field",
			"/softmax?axis=2.5 | /axis | not-whole", "/softmax?axis=5 | /axis | out-of-range",
			"/softmax?axis=1e10 | /axis | out-of-range", "/softmax?log=yes | /log | wrong-type",
			"/softmax?dtype=float16 | /dtype | unknown-value", "/softmax?temperature=0 | /temperature | out-of-range",
			"/softmax?temperature=abc | /temperature | wrong-type", "/softmax?axis=0&axis=1 | /axis | duplicate",
			"/softmax?logits=1 | /logits | wrong-type", "/softmax/grad | /grad_output | required",
			"/softmax/grad?mode=jacobian&grad_output=1 | /grad_output | wrong-type",
			"/softmax/grad?mode=hessian | /mode | unknown-value", "/cross-entropy | /target | required",
			"/cross-entropy?reduction=Mean | /reduction | unknown-value",
			"/cross-entropy?ignore_index=-1.5 | /ignore_index | not-whole" })
	void badFieldsAreRefusedAtTheirPointer(String uri, String pointer, String code) {
		assertProblem(post(uri, NPZ, npz(Map.of("logits", LOGITS)), NPZ), 400, pointer, code);
	}

	@ParameterizedTest
	@CsvSource({ "unknown.npz, /logit, unknown-field", "duplicate.npz, /logits, duplicate",
			"path.npz, /dir~1logits, unknown-field", "scalar_member.npz, /axis, wrong-type" })
	void archivesThatBreakTheRulesAreRefused(String fixture, String pointer, String code) {
		assertProblem(post("/softmax", NPZ, NumpyFixtures.bytes(fixture), null), 400, pointer, code);
	}

	@ParameterizedTest
	@CsvSource({ "object.npy, /logits, wrong-type", "nan.npy, /logits/1/0, nan", "i8_le.npy, /logits, wrong-type",
			"rank9.npy, /logits, rank", "f8_0d.npy, /logits, rank", "empty.npy, /logits/0, empty",
			"complex.npy, /logits, wrong-type" })
	void arraysThatBreakTheRulesAreRefused(String fixture, String pointer, String code) {
		assertProblem(post("/softmax", NPY, NumpyFixtures.bytes(fixture), NPY), 400, pointer, code);
	}

	/**
	 * An archive's tensors are scanned once, by the reader: the infinities it finds are
	 * refused with the pointer and code of the same request in JSON, NaN before +Infinity
	 * wherever they are, and a masked +Infinity is no error.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			FLOAT64 | 1, 2, 3, 4, Infinity, 6      | '' | /logits/1/1 | not-finite
			FLOAT32 | 1, Infinity, 3, 4, 5, 6      | '' | /logits/0/1 | not-finite
			FLOAT32 | 1, Infinity, 3, NaN, 5, 6    | '' | /logits/1/0 | nan
			FLOAT64 | -Infinity, 2, 3, 4, 5, Infinity | '' | /logits/1/2 | not-finite
			FLOAT64 | 1, Infinity, 3, 4, 5, 6      | 1, 0, 1, 1, 1, 1 | '' | ''
			""")
	void nonFiniteValuesAreRefusedAsInJson(DType dtype, String values, String mask, String pointer, String code)
			throws IOException {
		String[] logits = values.split(", ");
		double[] parsed = new double[logits.length];
		for (int i = 0; i < parsed.length; i++) {
			parsed[i] = Double.parseDouble(logits[i]);
		}
		ByteArrayOutputStream archive = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(archive)) {
			zip.putNextEntry(new ZipEntry("logits.npy"));
			zip.write(npy(new Tensor(new int[] { 2, 3 }, parsed, dtype)));
			if (!mask.isEmpty()) {
				byte[] keep = new byte[6];
				String[] bits = mask.split(", ");
				for (int i = 0; i < keep.length; i++) {
					keep[i] = Byte.parseByte(bits[i]);
				}
				zip.putNextEntry(new ZipEntry("mask.npy"));
				zip.write(
						NpyReaderTests.withHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (2, 3), }", keep));
			}
		}
		MvcTestResult result = post("/softmax", NPZ, archive.toByteArray(), null);
		if (pointer.isEmpty()) {
			assertThat(result).hasStatusOk();
			assertThat(readNpz(result).get("probabilities").get(1)).isZero();
			return;
		}
		assertProblem(result, 400, pointer, code);
		String json = "{\"logits\": [[" + String.join(", ", java.util.Arrays.copyOfRange(logits, 0, 3)) + "], ["
				+ String.join(", ", java.util.Arrays.copyOfRange(logits, 3, 6)) + "]]}";
		MvcTestResult same = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
		assertProblem(same, 400, pointer, code);
	}

	@Test
	void zipBombIsRefusedWith413() {
		assertProblem(post("/softmax", NPZ, NumpyFixtures.bytes("bomb.npz"), null), 413, "/logits", "too-large");
	}

	@Test
	void garbageIsRefusedWith400() {
		assertProblem(post("/softmax", NPZ, "not a zip".getBytes(), null), 400, "", "malformed-npz");
		assertProblem(post("/softmax", NPY, "not an npy".getBytes(), null), 400, "/logits", "malformed-npy");
	}

	@Test
	void queryParameterOnAJsonBodyIsRefused() {
		MvcTestResult result = this.mvc.post()
			.uri("/softmax?axis=0")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"logits\": [1, 2]}")
			.exchange();
		assertProblem(result, 400, "/axis", "not-allowed");
	}

	@Test
	void nonFiniteAsNullWhenAsked() {
		MvcTestResult result = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.parseMediaType("application/json; nonfinite=null"))
			.content("{\"logits\": [0, -Infinity], \"log\": true}")
			.exchange();
		assertThat(result).hasStatusOk().bodyText().isEqualTo("{\"log_probabilities\":[0.0,null]}");
		MvcTestResult plain = this.mvc.post()
			.uri("/softmax")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.content("{\"logits\": [0, -Infinity], \"log\": true}")
			.exchange();
		assertThat(plain).bodyText().isEqualTo("{\"log_probabilities\":[0.0,-Infinity]}");
	}

	@Test
	void openApiDocumentsTheBinaryMediaTypes() {
		tools.jackson.databind.JsonNode paths = body(this.mvc.get().uri("/v3/api-docs").exchange()).get("paths");
		for (String path : new String[] { "/softmax", "/softmax/grad", "/cross-entropy" }) {
			tools.jackson.databind.JsonNode post = paths.get(path).get("post");
			tools.jackson.databind.JsonNode request = post.get("requestBody").get("content");
			assertThat(request.get(NPZ).get("schema").get("format").asString()).as(path).isEqualTo("binary");
			assertThat(request.has(NPY)).as(path).isEqualTo(!path.equals("/cross-entropy"));
			assertThat(request.get("application/json").get("examples")).as(path).isNotEmpty();
			tools.jackson.databind.JsonNode answer = post.get("responses").get("200").get("content");
			assertThat(answer.get(NPZ).get("schema").get("format").asString()).isEqualTo("binary");
			assertThat(answer.get(NPY).get("schema").get("format").asString()).isEqualTo("binary");
			assertThat(post.get("responses").has("406")).isTrue();
		}
	}

	private MvcTestResult post(String uri, String contentType, byte[] body, String accept) {
		var request = this.mvc.post().uri(uri).contentType(contentType).content(body);
		if (accept != null) {
			request = request.accept(accept);
		}
		return request.exchange();
	}

	/** The probabilities of a JSON answer, each the value of its dtype its text names. */
	private static double[] probabilities(MvcTestResult result, DType dtype) {
		tools.jackson.databind.JsonNode rows = body(result).get("probabilities");
		double[] values = new double[rows.size() * rows.get(0).size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = dtype.round(rows.get(i / rows.get(0).size()).get(i % rows.get(0).size()).asDouble());
		}
		return values;
	}

	static byte[] npz(Map<String, Tensor> tensors) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			NpzWriter.write(new LinkedHashMap<>(tensors), out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	static byte[] npy(Tensor tensor) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			NpyWriter.write(tensor, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static Map<String, Tensor> readNpz(MvcTestResult result) {
		Map<String, Tensor> tensors = new LinkedHashMap<>();
		for (Member member : NpzReader.read(result.getResponse().getContentAsByteArray(), 1 << 30).values()) {
			tensors.put(member.name(), member.read((content, crc) -> NpyReader.read(content, "/" + member.name(),
					EnumSet.of(Kind.FLOAT), 1 << 30, crc)));
		}
		return tensors;
	}

	private static Tensor readNpy(MvcTestResult result) {
		return NpyReader.read(ByteBuffer.wrap(result.getResponse().getContentAsByteArray()), "", EnumSet.of(Kind.FLOAT),
				1 << 30);
	}

}
