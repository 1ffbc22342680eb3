package io.softmaxservice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * An answer's body as Tomcat keeps it: once as many bytes as its {@code Content-Length}
 * have been written, the response is closed and any further write fails, even one of no
 * bytes.
 */
public final class LengthClosingOutputStream extends OutputStream {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final LongSupplier length;

	/**
	 * A body whose length is read at each write, as headers may set it late.
	 * @param length the declared length, or -1 while there is none
	 */
	public LengthClosingOutputStream(LongSupplier length) {
		this.length = length;
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		long declared = this.length.getAsLong();
		if (declared >= 0 && this.bytes.size() >= declared) {
			throw new IOException("The response may not be written to once it has been closed");
		}
		this.bytes.write(b, off, len);
	}

	/**
	 * The bytes written.
	 * @return their number
	 */
	public int size() {
		return this.bytes.size();
	}

}
