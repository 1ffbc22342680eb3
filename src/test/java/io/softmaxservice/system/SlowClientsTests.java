package io.softmaxservice.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and stuck clients never delay a well-behaved one: bodies that trickle or stall
 * hold no compute share and get 408 past the (here short) upload deadline; clients that
 * never read their answer hold no share while the server waits to write, and are cut off
 * at the write deadline. Loopback only, bounded loops.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "softmax.upload.timeout=1s",
		"softmax.upload.min-rate=1KB", "server.tomcat.connection-timeout=2s", "softmax.load.queue-timeout=500ms" })
class SlowClientsTests {

	private static final int SLOW_CLIENTS = 24;

	private static final int NON_READING_CLIENTS = 4;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Test
	void slowUploadsDoNotDelayOtherRequestsAndGet408() throws Exception {
		List<Socket> slow = new ArrayList<>();
		try {
			for (int i = 0; i < SLOW_CLIENTS; i++) {
				Socket socket = new Socket("localhost", this.port);
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write(("POST /softmax HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
							+ "Content-Length: 100000\r\n\r\n{\"logits\": [1")
						.getBytes(StandardCharsets.US_ASCII));
				slow.add(socket);
			}
			Thread.sleep(300);
			assertThat(softmax().statusCode()).isEqualTo(200);
			for (int tick = 0; tick < 15; tick++) {
				for (int i = 0; i < slow.size(); i += 2) {
					trickle(slow.get(i));
				}
				Thread.sleep(100);
			}
			assertThat(softmax().statusCode()).isEqualTo(200);
			for (Socket socket : slow) {
				String answer = RawHttp.readAll(socket.getInputStream());
				HttpCornersTests.assertProblem(answer, 408);
			}
		}
		finally {
			for (Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void clientsThatNeverReadTheirAnswerDoNotDelayOthersAndAreCutOff() throws Exception {
		// About 2 MB up, and an answer of about 22 MB, far more than the socket buffers
		// hold.
		byte[] body = ("{\"logits\": [" + "0,1,".repeat(499_999) + "0,1]}").getBytes(StandardCharsets.US_ASCII);
		byte[] head = ("POST /softmax HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		List<Socket> stuck = new ArrayList<>();
		try {
			for (int i = 0; i < NON_READING_CLIENTS; i++) {
				Socket socket = new Socket();
				socket.setReceiveBufferSize(1024);
				socket.connect(new java.net.InetSocketAddress("localhost", this.port));
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				out.write(head);
				out.write(body);
				out.flush();
				stuck.add(socket);
			}
			Thread.sleep(1_000);
			assertThat(softmax().statusCode()).isEqualTo(200);
			// Well past the write deadline (2 s) once every answer is being written.
			Thread.sleep(8_000);
			assertThat(softmax().statusCode()).isEqualTo(200);
			int cutOff = 0;
			for (Socket socket : stuck) {
				String answer = RawHttp.readAll(socket.getInputStream());
				assertThat(answer.substring(0, 13)).isEqualTo("HTTP/1.1 200 ");
				// Cut off at the write deadline: the chunked answer stops before its last
				// chunk.
				cutOff += answer.endsWith("\r\n0\r\n\r\n") ? 0 : 1;
			}
			// On a slow machine the last answers may start to be written just before they
			// are read, so not every one need have been cut off.
			assertThat(cutOff).isPositive();
		}
		finally {
			for (Socket socket : stuck) {
				socket.close();
			}
		}
	}

	private static void trickle(Socket socket) {
		try {
			socket.getOutputStream().write(",1".getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// Cut off by the server already.
		}
	}

	private HttpResponse<String> softmax() throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/softmax"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"logits\": [1, 2, 3]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
