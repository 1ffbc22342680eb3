package io.softmaxservice.system;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.softmaxservice.tensor.TensorBytes;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;

/**
 * A request whose body {@link DirectJsonDispatch} has read, as Spring MVC reads it when
 * the direct path gives the request up: the same bytes, then the failure that stopped the
 * reading, if one did, so that Spring MVC meets it too.
 */
final class ReplayedRequest extends HttpServletRequestWrapper {

	private final byte[] body;

	private final int length;

	private final @Nullable Exception failure;

	private final Replay stream = new Replay();

	private ReplayedRequest(HttpServletRequest request, byte[] body, int length, @Nullable Exception failure) {
		super(request);
		this.body = body;
		this.length = length;
		this.failure = failure;
	}

	/**
	 * Reads the request's body, up to its declared length.
	 * @param request the request
	 * @param declaredLength its {@code Content-Length}
	 * @return the request with its body
	 */
	static ReplayedRequest read(HttpServletRequest request, int declaredLength) {
		byte[] body = new byte[0];
		int read = 0;
		try {
			InputStream in = request.getInputStream();
			while (read < declaredLength) {
				body = TensorBytes.room(body, read, declaredLength, in.available());
				int n = in.read(body, read, body.length - read);
				if (n < 0) {
					break;
				}
				read += n;
			}
		}
		catch (IOException | RuntimeException ex) {
			return new ReplayedRequest(request, body, read, ex);
		}
		return new ReplayedRequest(request, body, read, null);
	}

	/**
	 * Whether the body was read without a failure.
	 * @return whether it was
	 */
	boolean isWhole() {
		return this.failure == null;
	}

	/**
	 * The body as a message of a media type, for a message converter.
	 * @param type the body's media type, as the route took it
	 * @return the message
	 */
	HttpInputMessage message(MediaType type) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(type);
		headers.setContentLength(this.length);
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return new ByteArrayInputStream(ReplayedRequest.this.body, 0, ReplayedRequest.this.length);
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

	@Override
	public ServletInputStream getInputStream() {
		return this.stream;
	}

	@Override
	public BufferedReader getReader() {
		return new BufferedReader(new InputStreamReader(this.stream, StandardCharsets.UTF_8));
	}

	private final class Replay extends ServletInputStream {

		private int position;

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == 1) ? (one[0] & 0xFF) : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int count) throws IOException {
			if (this.position >= ReplayedRequest.this.length) {
				if (ReplayedRequest.this.failure instanceof IOException io) {
					throw io;
				}
				if (ReplayedRequest.this.failure instanceof RuntimeException runtime) {
					throw runtime;
				}
				return -1;
			}
			int n = Math.min(count, ReplayedRequest.this.length - this.position);
			System.arraycopy(ReplayedRequest.this.body, this.position, buffer, offset, n);
			this.position += n;
			return n;
		}

		@Override
		public boolean isFinished() {
			return this.position >= ReplayedRequest.this.length && ReplayedRequest.this.failure == null;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException("The body has been read already");
		}

	}

}
