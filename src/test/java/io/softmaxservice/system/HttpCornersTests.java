package io.softmaxservice.system;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer is problem+json with the right status, those of Tomcat below the
 * application included; the body's encoding and the headers of API answers. Same settings
 * as {@link SlowClientsTests}, so that both share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "softmax.upload.timeout=1s",
		"softmax.upload.min-rate=1KB", "server.tomcat.connection-timeout=2s", "softmax.load.queue-timeout=500ms" })
class HttpCornersTests {

	private static final String JSON = "Content-Type: application/json\r\n";

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			GET /error                  | 404 | GET /error HTTP/1.1
			POST /error                 | 404 | POST /error HTTP/1.1\\r\\nContent-Length: 0
			TRACE                       | 405 | TRACE /softmax HTTP/1.1
			manifest                    | 404 | GET /META-INF/MANIFEST.MF HTTP/1.1
			CONNECT                     | 501 | CONNECT localhost:443 HTTP/1.1
			HTTP/2.0 request line       | 505 | GET /softmax HTTP/2.0
			NUL in the path             | 400 | GET /softmax%00 HTTP/1.1
			bad Content-Length          | 400 | POST /softmax HTTP/1.1\\r\\nContent-Length: 1x
			unknown path                | 404 | GET /nothing-here HTTP/1.1
			""")
	void errorIsProblemJson(String name, int status, String head) throws Exception {
		String request = head.replace("\\r\\n", "\r\n") + "\r\nHost: localhost\r\nConnection: close\r\n\r\n";
		assertProblem(RawHttp.exchange(this.port, request), status);
	}

	@Test
	void tomcatRejectionsAreProblemJson() throws Exception {
		assertProblem(get("/" + "a".repeat(20_000), ""), 400);
		assertProblem(get("/softmax", "X-Long: " + "a".repeat(20_000) + "\r\n"), 400);
		assertProblem(RawHttp.exchange(this.port, "GET /softmax HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"),
				400);
		String cookies = IntStream.range(0, 1000).mapToObj((i) -> "c" + i + "=v").collect(Collectors.joining("; "));
		assertProblem(get("/softmax", "Cookie: " + cookies + "\r\n"), 400);
	}

	@Test
	void optionsAndAllowOf405Agree() throws Exception {
		String options = RawHttp.exchange(this.port,
				"OPTIONS /softmax HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		String notAllowed = get("/softmax", "");
		assertThat(RawHttp.status(options)).isEqualTo(200);
		assertProblem(notAllowed, 405);
		assertThat(RawHttp.header(notAllowed, "Allow")).isEqualTo(RawHttp.header(options, "Allow"))
			.isEqualTo("POST,OPTIONS");
	}

	@Test
	void compressedBodyIs415NamingTheEncoding() throws Exception {
		String answer = post("Content-Encoding: gzip\r\n" + JSON, new byte[] { 0x1f, (byte) 0x8b, 8, 0 });
		assertProblem(answer, 415);
		assertThat(RawHttp.body(answer)).contains("'gzip'");
	}

	@Test
	void bodyInUtf16OrUtf32Is415AndUtf8WithByteOrderMarkIsRead() throws Exception {
		for (String charset : new String[] { "UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE" }) {
			byte[] body = "{\"logits\": [1, 2]}".getBytes(Charset.forName(charset));
			assertProblem(post(JSON, body), 415);
		}
		assertProblem(post("Content-Type: application/json; charset=utf-16\r\n",
				"{\"logits\": [1, 2]}".getBytes(StandardCharsets.UTF_16)), 415);
		byte[] json = "{\"logits\": [1, 1]}".getBytes(StandardCharsets.UTF_8);
		byte[] withBom = new byte[json.length + 3];
		withBom[0] = (byte) 0xEF;
		withBom[1] = (byte) 0xBB;
		withBom[2] = (byte) 0xBF;
		System.arraycopy(json, 0, withBom, 3, json.length);
		String answer = post(JSON, withBom);
		assertThat(RawHttp.status(answer)).isEqualTo(200);
		assertThat(RawHttp.body(answer)).isEqualTo("{\"probabilities\":[0.5,0.5]}");
		assertThat(RawHttp.status(post("Content-Type: application/json; charset=UTF-8\r\n", json))).isEqualTo(200);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			application/json;q=abc
			application/x-npy;q=0.5, application/json;q=abc
			application/json;q=2
			garbage
			""")
	void malformedAcceptIs406ProblemJsonThatSaysSo(String accept) throws Exception {
		for (String answer : new String[] {
				post(JSON + "Accept: " + accept + "\r\n", "{\"logits\": [1, 2]}".getBytes(StandardCharsets.UTF_8)),
				post(JSON + "Accept: " + accept + "\r\n",
						"{\"logits\": [1, 2], \"axis\": 7}".getBytes(StandardCharsets.UTF_8)),
				get("/actuator/health", "Accept: " + accept + "\r\n") }) {
			assertProblem(answer, 406);
			assertThat(RawHttp.body(answer)).as(answer).contains("The Accept header");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			application/json;q=0                               | refuses every media type it names (q=0)
			application/x-npz;q=0, application/json;q=0        | refuses every media type it names (q=0)
			application/json; nonfinite=maybe                  | asks for nonfinite=maybe; the only choice
			application/json; nonfinite=nul, application/x-npz | asks for nonfinite=nul; the only choice
			""")
	void acceptThatAcceptsNothingIs406ProblemJsonThatSaysWhy(String accept, String detail) throws Exception {
		for (String answer : new String[] {
				post(JSON + "Accept: " + accept + "\r\n", "{\"logits\": [1, 2]}".getBytes(StandardCharsets.UTF_8)),
				post(JSON + "Accept: " + accept + "\r\n",
						"{\"logits\": [1, 2], \"axis\": 7}".getBytes(StandardCharsets.UTF_8)) }) {
			assertProblem(answer, 406);
			assertThat(RawHttp.body(answer)).as(answer).contains("The Accept header " + detail);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			application/x-npz;q=0, application/json                       | application/json | -Infinity
			application/json;nonfinite=null;q=0, application/json;q=0.5   | application/json | -Infinity
			application/json;nonfinite=NULL                               | application/json;nonfinite=null | null
			application/json;nonfinite="null"                             | application/json;nonfinite=null | null
			""")
	void acceptedTypesAreTheOnesAboveQualityZeroWithNonFiniteInAnyCase(String accept, String contentType, String masked)
			throws Exception {
		String answer = post(JSON + "Accept: " + accept + "\r\n",
				"{\"logits\": [[0, -Infinity]], \"log\": true}".getBytes(StandardCharsets.UTF_8));
		assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
		assertThat(RawHttp.header(answer, "Content-Type")).isEqualTo(contentType);
		assertThat(RawHttp.body(answer)).isEqualTo("{\"log_probabilities\":[[0.0," + masked + "]]}");
	}

	@Test
	void apiAnswersAreNotSniffedNorStored() throws Exception {
		for (String answer : new String[] { post(JSON, "{\"logits\": [1, 2]}".getBytes(StandardCharsets.UTF_8)),
				post(JSON, "{\"logits\": [1, 2], \"axis\": 7}".getBytes(StandardCharsets.UTF_8)), get("/softmax", ""),
				get("/nothing-here", "") }) {
			assertThat(RawHttp.header(answer, "X-Content-Type-Options")).as(answer).isEqualTo("nosniff");
			assertThat(RawHttp.header(answer, "Cache-Control")).as(answer).isEqualTo("no-store");
		}
	}

	private String get(String path, String headers) throws Exception {
		return RawHttp.exchange(this.port,
				"GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
	}

	private String post(String headers, byte[] body) throws Exception {
		byte[] head = ("POST /softmax HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] request = new byte[head.length + body.length];
		System.arraycopy(head, 0, request, 0, head.length);
		System.arraycopy(body, 0, request, head.length, body.length);
		return RawHttp.exchange(this.port, request);
	}

	static void assertProblem(String answer, int status) {
		assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status + " ");
		assertThat(RawHttp.header(answer, "Content-Type")).as(answer).isEqualTo("application/problem+json");
		String body = RawHttp.body(answer);
		assertThat(body).as(answer)
			.contains("\"type\":\"urn:softmax-service:problem:", "\"status\":" + status, "\"detail\":\"")
			.doesNotContain("<html", "Exception", "Tomcat", "io.softmaxservice");
	}

}
