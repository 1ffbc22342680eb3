package io.softmaxservice.system;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.LongConsumer;

import io.softmaxservice.system.SoftmaxProperties.Upload;
import io.softmaxservice.tensor.TensorBytes;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body as the application reads it: counted (for chunked bodies, against the
 * size limit; for all, to size the body's share of the work budget, which a large body
 * takes while it arrives), timed against the upload deadline, and, for JSON, checked to
 * be UTF-8 with an optional byte order mark, which it drops.
 */
class BodyInputStream extends ServletInputStream {

	private static final byte[] UTF8_BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	/**
	 * The bytes of a body read before it takes any of the work budget (small bodies take
	 * their share once read): what a binary body's first array holds.
	 */
	static final long UNRESERVED_BYTES = TensorBytes.FIRST_BODY_BYTES;

	private static final long RESERVE_STEP_BYTES = 1024 * 1024;

	private final ServletInputStream delegate;

	private final long maxBytes;

	private final Upload upload;

	private final long startNanos;

	private boolean checkEncoding;

	private byte[] head = new byte[0];

	private int headPosition;

	private long count;

	private final long expectedBytes;

	private final LongConsumer reserve;

	private long reserved = UNRESERVED_BYTES;

	/**
	 * Creates the stream of a request's body.
	 * @param delegate the body as the server reads it
	 * @param maxBytes the size limit
	 * @param upload the upload deadline
	 * @param startNanos when the request started
	 * @param json whether the body is JSON, whose encoding is checked
	 * @param expectedBytes its declared length, or -1
	 * @param reserve grows the request's share of the work budget to a number of bytes,
	 * or throws {@link ServiceOverloadedException}
	 */
	BodyInputStream(ServletInputStream delegate, long maxBytes, Upload upload, long startNanos, boolean json,
			long expectedBytes, LongConsumer reserve) {
		this.delegate = delegate;
		this.maxBytes = maxBytes;
		this.upload = upload;
		this.startNanos = startNanos;
		this.checkEncoding = json;
		this.expectedBytes = (expectedBytes >= 0) ? expectedBytes : maxBytes;
		this.reserve = reserve;
	}

	/**
	 * The bytes of the body read so far.
	 * @return the count
	 */
	long count() {
		return this.count;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n == 1) ? (one[0] & 0xFF) : -1;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (this.checkEncoding) {
			this.checkEncoding = false;
			readHead();
		}
		if (this.headPosition < this.head.length) {
			int n = Math.min(length, this.head.length - this.headPosition);
			System.arraycopy(this.head, this.headPosition, buffer, offset, n);
			this.headPosition += n;
			return n;
		}
		return readBody(buffer, offset, length);
	}

	private int readBody(byte[] buffer, int offset, int length) throws IOException {
		int n;
		try {
			n = this.delegate.read(buffer, offset, length);
		}
		catch (IOException ex) {
			if (timedOut(ex)) {
				throw tooSlow();
			}
			throw ex;
		}
		if (n > 0) {
			this.count += n;
			if (this.count > this.maxBytes) {
				throw new BodyRejectedException(ProblemType.PAYLOAD_TOO_LARGE,
						"The request body has more than " + this.maxBytes + " bytes, over the limit of " + this.maxBytes
								+ " bytes; send a smaller body.");
			}
			if (this.count > this.reserved) {
				reserveMore();
			}
		}
		if (System.nanoTime() - this.startNanos > this.upload.allowed(this.count).toNanos()) {
			throw tooSlow();
		}
		return n;
	}

	/**
	 * Grows the request's share of the work budget ahead of what has arrived, to twice it
	 * (at least a mebibyte more, at most the declared length): what a body's readers hold
	 * while it arrives (its bytes, or the numbers parsed from it) is then within the
	 * budget, so that a burst of large bodies cannot fill the heap before any of them is
	 * computed. A client holds no more of the budget than twice what it has sent.
	 */
	private void reserveMore() throws BodyRejectedException {
		this.reserved = Math.min(Math.max(this.expectedBytes, this.count),
				Math.max(2 * this.count, this.count + RESERVE_STEP_BYTES));
		try {
			this.reserve.accept(this.reserved);
		}
		catch (ServiceOverloadedException ex) {
			throw new BodyRejectedException(ProblemType.OVERLOADED, ex.getMessage());
		}
	}

	/**
	 * Reads the first bytes of a JSON body: JSON text starts with an ASCII character, so
	 * a zero byte among the first two, or a UTF-16 or UTF-32 byte order mark, means
	 * another encoding than UTF-8.
	 */
	private void readHead() throws IOException {
		byte[] bytes = new byte[4];
		int filled = 0;
		while (filled < bytes.length) {
			int n = readBody(bytes, filled, bytes.length - filled);
			if (n < 0) {
				break;
			}
			filled += n;
		}
		int skip = startsWith(bytes, filled, UTF8_BOM) ? UTF8_BOM.length : 0;
		boolean otherBom = filled >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
				|| (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE));
		boolean zero = (filled > skip && bytes[skip] == 0) || (filled > skip + 1 && bytes[skip + 1] == 0);
		if (otherBom || zero) {
			throw new BodyRejectedException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"The request body is not UTF-8 (it looks like UTF-16 or UTF-32); send JSON encoded as UTF-8.");
		}
		this.head = Arrays.copyOfRange(bytes, skip, Math.max(skip, filled));
	}

	private static boolean startsWith(byte[] bytes, int filled, byte[] prefix) {
		if (filled < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (bytes[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private BodyRejectedException tooSlow() {
		return new BodyRejectedException(ProblemType.REQUEST_TIMEOUT,
				"The request body did not arrive in time (" + this.count + " bytes in "
						+ (System.nanoTime() - this.startNanos) / 1_000_000 + " ms; a body gets "
						+ this.upload.timeout().toMillis() + " ms, or longer at " + this.upload.minRate().toBytes()
						+ " bytes per second); send it faster.");
	}

	private static boolean timedOut(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean isFinished() {
		return this.headPosition >= this.head.length && this.delegate.isFinished();
	}

	@Override
	public boolean isReady() {
		return this.headPosition < this.head.length || this.delegate.isReady();
	}

	@Override
	public void setReadListener(ReadListener listener) {
		this.delegate.setReadListener(listener);
	}

}
