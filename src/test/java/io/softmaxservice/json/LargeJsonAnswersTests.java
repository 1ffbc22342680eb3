package io.softmaxservice.json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large JSON answers over a real port: sent with a {@code Content-Length} of exactly the
 * bytes received, and the same text as the chunked answers of their parts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LargeJsonAnswersTests {

	private static final int CLASSES = JsonTensorWriter.MAX_MIRRORED;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	/**
	 * Sixteen equal points give sixteen copies of one point's mirrored Jacobian (a
	 * million values in all), which alone is answered chunked.
	 */
	@Test
	void jacobianOfAMillionValuesHasItsLengthAndTheTextOfItsChunkedParts() throws Exception {
		int points = JsonResponseConverter.LENGTH_FIRST_VALUES / (CLASSES * CLASSES);
		String point = point(new Random(11));
		StringJoiner all = new StringJoiner(",", "[", "]");
		for (int i = 0; i < points; i++) {
			all.add(point);
		}
		HttpResponse<byte[]> one = jacobian(point);
		HttpResponse<byte[]> many = jacobian(all.toString());
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.headers().firstValue("Content-Length")).isEmpty();
		assertThat(one.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
		assertThat(many.statusCode()).isEqualTo(200);
		assertThat(many.headers().firstValue("Transfer-Encoding")).isEmpty();
		assertThat(many.headers().firstValueAsLong("Content-Length")).hasValue(many.body().length);
		String matrix = new String(one.body(), StandardCharsets.US_ASCII);
		matrix = matrix.substring("{\"jacobian\":".length(), matrix.length() - 1);
		StringJoiner expected = new StringJoiner(",", "{\"jacobian\":[", "]}");
		for (int i = 0; i < points; i++) {
			expected.add(matrix);
		}
		assertThat(new String(many.body(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
	}

	@Test
	void smallAnswerHasItsLength() throws Exception {
		HttpResponse<byte[]> response = post("/softmax", "{\"logits\":[0,1,2]}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new String(response.body(), StandardCharsets.US_ASCII))
			.isEqualTo("{\"probabilities\":[0.09003057317038046,0.24472847105479764,0.6652409557748218]}");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
	}

	/** Probabilities that sum to 1 within the contract's tolerance. */
	private static String point(Random random) {
		double[] weights = new double[CLASSES];
		double sum = 0;
		for (int i = 0; i < CLASSES; i++) {
			weights[i] = random.nextDouble();
			sum += weights[i];
		}
		StringJoiner point = new StringJoiner(",", "[", "]");
		for (double weight : weights) {
			point.add(Double.toString(weight / sum));
		}
		return point.toString();
	}

	private HttpResponse<byte[]> jacobian(String probabilities) throws Exception {
		return post("/softmax/grad", "{\"probabilities\":" + probabilities + ",\"mode\":\"jacobian\"}");
	}

	private HttpResponse<byte[]> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json))
			.build(), BodyHandlers.ofByteArray());
	}

}
