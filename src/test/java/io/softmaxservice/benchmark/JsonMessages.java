package io.softmaxservice.benchmark;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.Random;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;

/**
 * The JSON bodies and HTTP messages the benchmarks feed the application's converters.
 */
public final class JsonMessages {

	private JsonMessages() {
	}

	/**
	 * The body Python's {@code json.dumps} writes for standard normal logits times 3.
	 * @param rows the batch size
	 * @param classes the classes per row
	 * @param moreFields text after the logits, inside the object, e.g.
	 * {@code , "mode": "jacobian"}
	 * @return the body's bytes
	 */
	public static byte[] logits(int rows, int classes, String moreFields) {
		Random random = new Random(1);
		StringBuilder text = new StringBuilder("{\"logits\": [");
		for (int r = 0; r < rows; r++) {
			text.append((r > 0) ? ", [" : "[");
			for (int c = 0; c < classes; c++) {
				text.append((c > 0) ? ", " : "").append(random.nextGaussian() * 3);
			}
			text.append(']');
		}
		return text.append(']').append(moreFields).append('}').toString().getBytes();
	}

	/** A JSON request body as a converter reads it. */
	public static HttpInputMessage input(byte[] body) {
		return new Input(body);
	}

	/** Where a converter writes an answer. */
	public static HttpOutputMessage output(OutputStream body) {
		return new Output(body, new HttpHeaders());
	}

	private record Input(byte[] body) implements HttpInputMessage {

		@Override
		public ByteArrayInputStream getBody() {
			return new ByteArrayInputStream(this.body);
		}

		@Override
		public HttpHeaders getHeaders() {
			HttpHeaders headers = new HttpHeaders();
			headers.setContentType(MediaType.APPLICATION_JSON);
			return headers;
		}

	}

	private record Output(OutputStream body, HttpHeaders headers) implements HttpOutputMessage {

		@Override
		public OutputStream getBody() {
			return this.body;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

}
