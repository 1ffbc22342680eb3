package io.softmaxservice.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 *
 * <p>
 * The body is kept in arrays of {@link TensorBytes#FIRST_BODY_BYTES} (the last one
 * shorter), allocated as the bytes arrive: a client that declares a large body and sends
 * little holds little, a body is copied once (into the array its reader makes), and no
 * array is large enough for G1 to place it in whole regions of its own (a humongous
 * object, whose allocation can start a concurrent cycle).
 *
 * <p>
 * Readers get copies ({@link #message}, {@link #getInputStream}): a kernel that writes
 * its answer into the bytes a reader owns ({@code Tensor.lendBytes}) never changes what a
 * replay after a failure reads.
 */
final class ReplayedRequest extends HttpServletRequestWrapper {

	private static final int CHUNK = TensorBytes.FIRST_BODY_BYTES;

	private final List<byte[]> chunks;

	private final int length;

	private final @Nullable Exception failure;

	private final Replay stream = new Replay();

	private ReplayedRequest(HttpServletRequest request, List<byte[]> chunks, int length, @Nullable Exception failure) {
		super(request);
		this.chunks = chunks;
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
		List<byte[]> chunks = new ArrayList<>();
		byte[] chunk = new byte[0];
		int filled = 0;
		int read = 0;
		try {
			InputStream in = request.getInputStream();
			while (read < declaredLength) {
				if (filled == chunk.length) {
					chunk = new byte[Math.min(CHUNK, declaredLength - read)];
					chunks.add(chunk);
					filled = 0;
				}
				int n = in.read(chunk, filled, chunk.length - filled);
				if (n < 0) {
					break;
				}
				filled += n;
				read += n;
			}
		}
		catch (IOException | RuntimeException ex) {
			return new ReplayedRequest(request, chunks, read, ex);
		}
		return new ReplayedRequest(request, chunks, read, null);
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
	 * @return the message, whose body tells that all of it can be read at once
	 * ({@link InputStream#available})
	 */
	HttpInputMessage message(MediaType type) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(type);
		headers.setContentLength(this.length);
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return new Chunks();
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

	/** The bytes read, once, from the first. */
	private final class Chunks extends InputStream {

		private int position;

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == 1) ? (one[0] & 0xFF) : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int count) {
			Objects.checkFromIndexSize(offset, count, buffer.length);
			if (this.position >= ReplayedRequest.this.length) {
				return -1;
			}
			int n = Math.min(count, available());
			for (int copied = 0; copied < n;) {
				int within = this.position % CHUNK;
				int piece = Math.min(n - copied, CHUNK - within);
				System.arraycopy(ReplayedRequest.this.chunks.get(this.position / CHUNK), within, buffer,
						offset + copied, piece);
				copied += piece;
				this.position += piece;
			}
			return n;
		}

		@Override
		public int available() {
			return ReplayedRequest.this.length - this.position;
		}

		boolean isAtEnd() {
			return this.position >= ReplayedRequest.this.length;
		}

	}

	private final class Replay extends ServletInputStream {

		private final Chunks bytes = new Chunks();

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == 1) ? (one[0] & 0xFF) : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int count) throws IOException {
			if (this.bytes.isAtEnd()) {
				if (ReplayedRequest.this.failure instanceof IOException io) {
					throw io;
				}
				if (ReplayedRequest.this.failure instanceof RuntimeException runtime) {
					throw runtime;
				}
				return -1;
			}
			return this.bytes.read(buffer, offset, count);
		}

		@Override
		public int available() {
			return this.bytes.available();
		}

		@Override
		public boolean isFinished() {
			return this.bytes.isAtEnd() && ReplayedRequest.this.failure == null;
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
