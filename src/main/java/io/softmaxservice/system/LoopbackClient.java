package io.softmaxservice.system;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The smallest HTTP/1.1 client the warm-up needs: POSTs on one kept-alive loopback
 * connection, reading and dropping each answer. Far lighter than the JDK's
 * {@code HttpClient}, whose own threads and classes would compete with the server for the
 * CPU while it warms up.
 */
final class LoopbackClient implements Closeable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final String host;

	private boolean open = true;

	LoopbackClient(InetSocketAddress address, Duration timeout) throws IOException {
		this.socket = new Socket();
		this.socket.setTcpNoDelay(true);
		this.socket.connect(address, (int) timeout.toMillis());
		this.socket.setSoTimeout((int) timeout.toMillis());
		this.in = new BufferedInputStream(this.socket.getInputStream(), 8192);
		this.out = this.socket.getOutputStream();
		this.host = address.getHostString() + ":" + address.getPort();
	}

	/**
	 * The bytes of a JSON POST to this client's server.
	 * @param path the request target
	 * @param json the body
	 * @return the request, headers and body
	 */
	byte[] post(String path, String json) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + path + " HTTP/1.1\r\nHost: " + this.host
				+ "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
				+ "\r\n\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
		byte[] request = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, request, 0, headBytes.length);
		System.arraycopy(body, 0, request, headBytes.length, body.length);
		return request;
	}

	/**
	 * The bytes of a GET of JSON from this client's server.
	 * @param path the request target
	 * @return the request
	 */
	byte[] get(String path) {
		return ("GET " + path + " HTTP/1.1\r\nHost: " + this.host + "\r\nAccept: application/json\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Sends a request made by {@link #post} or {@link #get} and reads its whole answer.
	 * @param request the request's bytes
	 * @return the answer's status code
	 * @throws IOException if the connection fails or the answer is not HTTP/1.1
	 */
	int exchange(byte[] request) throws IOException {
		this.out.write(request);
		this.out.flush();
		String statusLine = line();
		if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
			throw new IOException("Not an HTTP/1.1 answer: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		long length = -1;
		boolean chunked = false;
		for (String header = line(); !header.isEmpty(); header = line()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				this.open = false;
			}
		}
		if (chunked) {
			for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0; size = Long
				.parseLong(line().split(";", 2)[0].trim(), 16)) {
				skip(size);
				line();
			}
			while (!line().isEmpty()) {
				// trailers
			}
		}
		else if (length > 0) {
			skip(length);
		}
		return status;
	}

	/**
	 * Whether the server keeps this connection open for another request (Tomcat closes a
	 * kept-alive connection after {@code maxKeepAliveRequests}, and after most errors).
	 * @return false once an answer said {@code Connection: close}
	 */
	boolean isOpen() {
		return this.open;
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(64);
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b < 0) {
				throw new EOFException("Connection closed by the server");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private void skip(long bytes) throws IOException {
		for (long left = bytes; left > 0;) {
			long skipped = this.in.skip(left);
			if (skipped <= 0) {
				if (this.in.read() < 0) {
					throw new EOFException("Connection closed by the server");
				}
				skipped = 1;
			}
			left -= skipped;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
