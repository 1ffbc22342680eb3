package io.softmaxservice.json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

import io.softmaxservice.tensor.LargeArrays;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON requests whose tensors are large enough to be read into recycled arrays
 * ({@link LargeArrays}), over a real port: each answer is computed from its own request's
 * values, one request after another and at once, though they share arrays.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RecycledArraysTests {

	private static final int ROWS = 80;

	private static final int CLASSES = 1000;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LargeArrays arrays;

	@Test
	void crossEntropyOfTheSameShapeReusesTheArrayAndAnswersFromItsOwnValues() {
		assertThat(ROWS * CLASSES).isGreaterThanOrEqualTo(LargeArrays.MIN_LENGTH);
		String first = request(ROWS, new Random(1));
		String second = request(ROWS, new Random(2));
		String firstAnswer = crossEntropy(first);
		double[] recycled;
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			recycled = this.arrays.take(ROWS * CLASSES);
			// The gradient (softmax minus one-hot), written over the logits the first
			// request was read into: one negative value per row.
			assertThat(Arrays.stream(recycled).filter((value) -> value < 0).count()).as("used by the first request")
				.isEqualTo(ROWS);
		}
		String secondAnswer = crossEntropy(second);
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			assertThat(this.arrays.take(ROWS * CLASSES)).as("reused by the second request").isSameAs(recycled);
		}
		assertThat(secondAnswer).isNotEqualTo(firstAnswer);
		assertThat(crossEntropy(first)).isEqualTo(firstAnswer);
		assertThat(crossEntropy(second)).isEqualTo(secondAnswer);
	}

	@Test
	void crossEntropyRequestsOfTheSameShapeAtOnceEachAnswerFromTheirOwnValues() throws Exception {
		List<String> bodies = List.of(request(ROWS + 1, new Random(3)), request(ROWS + 1, new Random(4)),
				request(ROWS + 1, new Random(5)));
		List<String> expected = new ArrayList<>();
		for (String body : bodies) {
			expected.add(crossEntropy(body));
		}
		List<CompletableFuture<Boolean>> clients = new ArrayList<>();
		for (int client = 0; client < 4; client++) {
			int first = client;
			clients.add(CompletableFuture.supplyAsync(() -> {
				for (int i = 0; i < 6; i++) {
					int which = (first + i) % bodies.size();
					if (!crossEntropy(bodies.get(which)).equals(expected.get(which))) {
						return false;
					}
				}
				return true;
			}));
		}
		for (CompletableFuture<Boolean> client : clients) {
			assertThat(client.join()).isTrue();
		}
	}

	private String crossEntropy(String body) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/cross-entropy"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString(body))
				.build();
			var response = this.http.send(request, BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String request(int rows, Random random) {
		StringJoiner logits = new StringJoiner(",", "[", "]");
		StringJoiner target = new StringJoiner(",", "[", "]");
		for (int r = 0; r < rows; r++) {
			StringJoiner row = new StringJoiner(",", "[", "]");
			for (int c = 0; c < CLASSES; c++) {
				row.add(String.format(Locale.ROOT, "%.6f", random.nextGaussian()));
			}
			logits.add(row.toString());
			target.add(Integer.toString(random.nextInt(CLASSES)));
		}
		return "{\"logits\":" + logits + ",\"target\":" + target + ",\"include_grad\":true}";
	}

}
