package io.softmaxservice.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client sends: malformed request
 * lines, bodies that trickle, answers never read.
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Sends the bytes and reads the answer until the server closes the connection or
	 * stops sending for two seconds.
	 * @param port the server's port
	 * @param request the whole request
	 * @return the answer, as ISO-8859-1 text
	 * @throws IOException if the connection fails
	 */
	static String exchange(int port, byte[] request) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(2_000);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			return readAll(socket.getInputStream());
		}
	}

	static String exchange(int port, String request) throws IOException {
		return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * Reads until the end of the stream, a reset, or two seconds without data.
	 * @param in the stream
	 * @return what was read, as ISO-8859-1 text
	 */
	static String readAll(InputStream in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				out.write(buffer, 0, n);
			}
		}
		catch (SocketTimeoutException ex) {
			// Kept alive: the answer is complete.
		}
		catch (IOException ex) {
			// Reset by the server.
		}
		return out.toString(StandardCharsets.ISO_8859_1);
	}

	static int status(String answer) {
		return Integer.parseInt(answer.substring(9, 12));
	}

	static String header(String answer, String name) {
		for (String line : answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
				return line.substring(colon + 1).strip();
			}
		}
		return null;
	}

	static String body(String answer) {
		return answer.substring(answer.indexOf("\r\n\r\n") + 4);
	}

}
