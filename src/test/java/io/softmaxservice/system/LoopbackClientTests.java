package io.softmaxservice.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link LoopbackClient} reads whole answers, sized or chunked, so that the next request
 * on the same connection starts where the last answer ended, and notices when the server
 * closes the connection.
 */
class LoopbackClientTests {

	@Test
	void postCarriesTheBodyWithItsLength() throws Exception {
		try (ServerSocket server = server(); LoopbackClient client = client(server)) {
			String request = new String(client.post("/softmax", "{\"logits\": [\"é\"]}"), StandardCharsets.UTF_8);
			assertThat(request).startsWith("POST /softmax HTTP/1.1\r\n")
				.contains("\r\nContent-Type: application/json\r\n")
				.contains("\r\nContent-Length: 18\r\n")
				.endsWith("\r\n\r\n{\"logits\": [\"é\"]}");
		}
	}

	@Test
	void getHasNoBody() throws Exception {
		try (ServerSocket server = server(); LoopbackClient client = client(server)) {
			String request = new String(client.get("/actuator/health/readiness"), StandardCharsets.US_ASCII);
			assertThat(request).startsWith("GET /actuator/health/readiness HTTP/1.1\r\n")
				.contains("\r\nAccept: application/json\r\n")
				.doesNotContain("Content-Length")
				.endsWith("\r\n\r\n");
		}
	}

	@Test
	void exchangeReadsSizedAndChunkedAnswersOnOneConnection() throws Exception {
		try (ServerSocket server = server()) {
			CompletableFuture<List<String>> requests = serve(server,
					"HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n[1.0]",
					"HTTP/1.1 400 \r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n",
					"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
			try (LoopbackClient client = client(server)) {
				byte[] request = client.post("/softmax", "{}");
				assertThat(client.exchange(request)).isEqualTo(200);
				assertThat(client.exchange(request)).isEqualTo(400);
				assertThat(client.exchange(request)).isEqualTo(200);
				assertThat(client.isOpen()).isTrue();
			}
			assertThat(requests.get()).hasSize(3).allSatisfy((r) -> assertThat(r).startsWith("POST /softmax "));
		}
	}

	@Test
	void exchangeNoticesConnectionClose() throws Exception {
		try (ServerSocket server = server()) {
			serve(server, "HTTP/1.1 200 \r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
			try (LoopbackClient client = client(server)) {
				assertThat(client.exchange(client.post("/softmax", "{}"))).isEqualTo(200);
				assertThat(client.isOpen()).isFalse();
			}
		}
	}

	@Test
	void exchangeFailsWhenTheAnswerIsCutShort() throws Exception {
		try (ServerSocket server = server()) {
			serve(server, "HTTP/1.1 200 \r\nContent-Length: 10\r\n\r\nshort");
			try (LoopbackClient client = client(server)) {
				byte[] request = client.post("/softmax", "{}");
				assertThatExceptionOfType(IOException.class).isThrownBy(() -> client.exchange(request))
					.withMessage("Connection closed by the server");
			}
		}
	}

	private static ServerSocket server() throws IOException {
		return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
	}

	private static LoopbackClient client(ServerSocket server) throws IOException {
		return new LoopbackClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
				Duration.ofSeconds(10));
	}

	/** Answers each request on the first connection with the next answer, then closes. */
	private static CompletableFuture<List<String>> serve(ServerSocket server, String... answers) {
		return CompletableFuture.supplyAsync(() -> {
			try (Socket socket = server.accept()) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				List<String> requests = new ArrayList<>();
				for (String answer : answers) {
					requests.add(readRequest(in));
					out.write(answer.getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
				return requests;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/** A request of {@link LoopbackClient#post}: headers, then Content-Length bytes. */
	private static String readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed");
			}
			head.write(b);
		}
		String headers = head.toString(StandardCharsets.ISO_8859_1);
		int at = headers.indexOf("Content-Length: ") + 16;
		int length = Integer.parseInt(headers.substring(at, headers.indexOf('\r', at)));
		return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

}
