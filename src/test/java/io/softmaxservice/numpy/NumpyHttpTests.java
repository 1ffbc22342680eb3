package io.softmaxservice.numpy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
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

	@Test
	void queryParametersGiveTheOtherFields() {
		MvcTestResult result = post("/softmax?axis=0.0&log=true&temperature=2&dtype=float32", NPZ,
				npz(Map.of("logits", LOGITS)), null);
		assertThat(result).hasStatusOk();
		Tensor log = readNpz(result).get("log_probabilities");
		assertThat(log.dtype()).isEqualTo(DType.FLOAT32);
		assertThat(log.get(4)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(log.get(0)).isCloseTo(0.5 - Math.log(Math.exp(0.5) + 1), org.assertj.core.data.Offset.offset(1e-6));
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
			.isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-15));
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
	@CsvSource(delimiter = '|',
			value = { "/softmax?axsi=0 | /axsi", "/softmax?axis=2.5 | /axis", "/softmax?axis=5 | /axis",
					"/softmax?log=yes | /log", "/softmax?dtype=float16 | /dtype",
					"/softmax?temperature=0 | /temperature", "/softmax?temperature=abc | /temperature",
					"/softmax?axis=0&axis=1 | /axis", "/softmax?logits=1 | /logits", "/softmax/grad | /grad_output",
					"/softmax/grad?mode=jacobian&grad_output=1 | /grad_output", "/cross-entropy | /target" })
	void badFieldsAreRefusedAtTheirPointer(String uri, String pointer) {
		assertProblem(post(uri, NPZ, npz(Map.of("logits", LOGITS)), NPZ), 400, pointer);
	}

	@ParameterizedTest
	@CsvSource({ "unknown.npz, /logit", "duplicate.npz, /logits", "path.npz, /dir~1logits",
			"scalar_member.npz, /axis" })
	void archivesThatBreakTheRulesAreRefused(String fixture, String pointer) {
		assertProblem(post("/softmax", NPZ, NumpyFixtures.bytes(fixture), null), 400, pointer);
	}

	@ParameterizedTest
	@CsvSource({ "object.npy, /logits", "nan.npy, /logits/1/0", "i8_le.npy, /logits", "rank9.npy, /logits",
			"f8_0d.npy, /logits" })
	void arraysThatBreakTheRulesAreRefused(String fixture, String pointer) {
		assertProblem(post("/softmax", NPY, NumpyFixtures.bytes(fixture), NPY), 400, pointer);
	}

	@Test
	void zipBombIsRefusedWith413() {
		assertProblem(post("/softmax", NPZ, NumpyFixtures.bytes("bomb.npz"), null), 413, "/logits");
	}

	@Test
	void garbageIsRefusedWith400() {
		assertProblem(post("/softmax", NPZ, "not a zip".getBytes(), null), 400, "");
		assertProblem(post("/softmax", NPY, "not an npy".getBytes(), null), 400, "/logits");
	}

	@Test
	void queryParameterOnAJsonBodyIsRefused() {
		MvcTestResult result = this.mvc.post()
			.uri("/softmax?axis=0")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"logits\": [1, 2]}")
			.exchange();
		assertProblem(result, 400, "/axis");
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
			tensors.put(member.name(),
					NpyReader.read(member.content(), "/" + member.name(), EnumSet.of(Kind.FLOAT), 1 << 30));
		}
		return tensors;
	}

	private static Tensor readNpy(MvcTestResult result) {
		return NpyReader.read(ByteBuffer.wrap(result.getResponse().getContentAsByteArray()), "", EnumSet.of(Kind.FLOAT),
				1 << 30);
	}

}
