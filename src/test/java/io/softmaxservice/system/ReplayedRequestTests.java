package io.softmaxservice.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.softmaxservice.numpy.NumpyMediaTypes;
import io.softmaxservice.tensor.TensorBytes;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@link ReplayedRequest}: the body read once is read again the same, and a failure that
 * stopped the first reading stops the second at the same byte.
 */
class ReplayedRequestTests {

	@Test
	void bodyIsReadAgainWhole() throws IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax");
		request.setContent("{\"logits\": [1]}".getBytes(StandardCharsets.UTF_8));
		ReplayedRequest replayed = ReplayedRequest.read(request, 15);
		assertThat(replayed.isWhole()).isTrue();
		assertThat(replayed.message(MediaType.APPLICATION_JSON).getBody()).hasContent("{\"logits\": [1]}");
		assertThat(replayed.message(MediaType.APPLICATION_JSON).getHeaders().getContentLength()).isEqualTo(15);
		assertThat(replayed.message(MediaType.APPLICATION_JSON).getHeaders().getContentType())
			.isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(replayed.message(NumpyMediaTypes.NPZ).getHeaders().getContentType()).isEqualTo(NumpyMediaTypes.NPZ);
		assertThat(replayed.getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8)
			.isEqualTo("{\"logits\": [1]}");
		assertThat(replayed.getInputStream().isFinished()).isTrue();
		assertThat(replayed.getInputStream().read()).isEqualTo(-1);
	}

	@Test
	void bodyShorterThanDeclaredIsReadAsItCame() throws IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax");
		request.setContent("[1]".getBytes(StandardCharsets.UTF_8));
		ReplayedRequest replayed = ReplayedRequest.read(request, 10);
		assertThat(replayed.isWhole()).isTrue();
		assertThat(replayed.getReader().readLine()).isEqualTo("[1]");
	}

	@Test
	void bodyLargerThanOneArrayIsReadWholeIntoArraysOfFirstBodyBytesAndASilentOneHoldsLittle() throws IOException {
		byte[] body = new byte[3 * 1024 * 1024];
		new Random(11).nextBytes(body);
		int[] largest = { 0 };
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax") {

			@Override
			public ServletInputStream getInputStream() {
				ByteArrayInputStream bytes = new ByteArrayInputStream(getContentAsByteArray());
				return new DelegatingServletInputStream(bytes) {

					@Override
					public int read(byte[] buffer, int offset, int length) {
						largest[0] = Math.max(largest[0], buffer.length);
						return bytes.read(buffer, offset, Math.min(length, 64 * 1024));
					}

				};
			}

		};
		request.setContent(body);
		assertThat(ReplayedRequest.read(request, body.length).getInputStream().readAllBytes()).isEqualTo(body);
		assertThat(largest[0]).isEqualTo(TensorBytes.FIRST_BODY_BYTES);
		request.setContent(new byte[10]);
		largest[0] = 0;
		assertThat(ReplayedRequest.read(request, 4 * 1024 * 1024).getInputStream().readAllBytes()).hasSize(10);
		assertThat(largest[0]).isEqualTo(TensorBytes.FIRST_BODY_BYTES);
	}

	@Test
	void messageOfALargeBodyCanBeReadWholeAtOnceOrInPiecesAcrossItsArrays() throws IOException {
		byte[] body = new byte[2 * TensorBytes.FIRST_BODY_BYTES + 1001];
		new Random(12).nextBytes(body);
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax");
		request.setContent(body);
		ReplayedRequest replayed = ReplayedRequest.read(request, body.length);
		InputStream whole = replayed.message(NumpyMediaTypes.NPZ).getBody();
		assertThat(whole.available()).isEqualTo(body.length);
		assertThat(TensorBytes.readBody(whole, body.length)).isEqualTo(body);
		assertThat(whole.available()).isZero();
		assertThat(whole.read()).isEqualTo(-1);
		InputStream pieces = replayed.message(NumpyMediaTypes.NPZ).getBody();
		byte[] again = new byte[body.length];
		int n = 0;
		for (int read; (read = pieces.read(again, n, Math.min(99_991, body.length - n))) > 0;) {
			n += read;
		}
		assertThat(n).isEqualTo(body.length);
		assertThat(again).isEqualTo(body);
		assertThat(replayed.getInputStream().available()).isEqualTo(body.length);
	}

	@Test
	void failureIsMetAgainAfterTheBytesBeforeIt() throws IOException {
		IOException timeout = new IOException("too slow");
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax") {

			@Override
			public ServletInputStream getInputStream() {
				return new DelegatingServletInputStream(new InputStream() {

					private int left = 3;

					@Override
					public int read() throws IOException {
						if (this.left-- > 0) {
							return 'x';
						}
						throw timeout;
					}

				});
			}

		};
		ReplayedRequest replayed = ReplayedRequest.read(request, 10);
		assertThat(replayed.isWhole()).isFalse();
		ServletInputStream again = replayed.getInputStream();
		byte[] buffer = new byte[10];
		assertThat(again.read(buffer, 0, 10)).isEqualTo(3);
		assertThat(again.isFinished()).isFalse();
		assertThatIOException().isThrownBy(() -> again.read(buffer, 0, 10)).isSameAs(timeout);
	}

}
