package io.softmaxservice.system;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ComputeTurns} and the valve that hands them out: a request whose body arrived
 * with its headers is handled in a turn; one still uploading is handled without one, so
 * it never holds a turn while it waits for its client; a turn is given back once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ComputeTurnsTests.TurnsProbe.class)
class ComputeTurnsTests {

	private static final int TURNS = ComputeTurns.TURNS_PER_CPU * Runtime.getRuntime().availableProcessors();

	@LocalServerPort
	private int port;

	@Autowired
	private ComputeTurns turns;

	@Test
	void turnIsHeldUntilGivenBackOnce() {
		ComputeTurns two = new ComputeTurns(2);
		MockHttpServletRequest request = new MockHttpServletRequest();
		two.take(request);
		assertThat(two.available()).isOne();
		two.giveBack(request);
		two.giveBack(request);
		assertThat(two.available()).isEqualTo(2);
	}

	@Test
	void requestGoesOnWithoutATurnWhenNoneFreesInTime() {
		ComputeTurns one = new ComputeTurns(1);
		MockHttpServletRequest first = new MockHttpServletRequest();
		MockHttpServletRequest second = new MockHttpServletRequest();
		one.take(first);
		one.take(second);
		one.giveBack(second);
		assertThat(one.available()).isZero();
		one.giveBack(first);
		assertThat(one.available()).isOne();
	}

	@Test
	void requestWhoseBodyArrivedWithItsHeadersIsHandledInATurn() throws Exception {
		String answer = RawHttp.exchange(this.port, post(7) + "[1,2,3]");
		assertThat(RawHttp.body(answer)).isEqualTo(Integer.toString(TURNS - 1));
		assertThat(this.turns.available()).isEqualTo(TURNS);
	}

	@Test
	void requestStillUploadingIsHandledWithoutATurn() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write((post(7) + "[1,").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread.sleep(300);
			assertThat(this.turns.available()).isEqualTo(TURNS);
			out.write("2,3]".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String answer = RawHttp.readAll(socket.getInputStream());
			assertThat(RawHttp.body(answer)).isEqualTo(Integer.toString(TURNS));
		}
	}

	private static String post(int length) {
		return "POST /test/turns HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
				+ length + "\r\nConnection: close\r\n\r\n";
	}

	@TestConfiguration(proxyBeanMethods = false)
	@RestController
	static class TurnsProbe {

		private final ComputeTurns turns;

		TurnsProbe(ComputeTurns turns) {
			this.turns = turns;
		}

		/** The turns left free while this request is handled. */
		@PostMapping(path = "/test/turns", produces = "text/plain")
		String turnsLeft(@RequestBody String body) {
			return Integer.toString(this.turns.available());
		}

	}

}
