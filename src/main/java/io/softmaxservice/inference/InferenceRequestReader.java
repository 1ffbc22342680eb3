package io.softmaxservice.inference;

import java.io.IOException;
import java.io.InputStream;

import io.softmaxservice.system.WorkBudgetShare;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.TensorBytes;
import io.softmaxservice.tensor.TensorLimits;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;

/**
 * Reads the body of {@code POST /v2/models/{model}/infer}: a JSON inference request, or
 * with the binary tensor data extension a JSON header of
 * {@code Inference-Header-Content-Length} bytes followed by the inputs' raw bytes. As a
 * message converter it runs where every {@code @RequestBody} is read, under the same body
 * limit and load shedding as the JSON endpoints.
 */
@Component
class InferenceRequestReader extends AbstractHttpMessageConverter<InferenceRequest> {

	private final InferenceRequestParser parser;

	InferenceRequestReader(JsonMapper mapper, TensorLimits limits, WorkBudgetShare share) {
		super(MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM);
		// A request's values can take several times its body (see DecodedMemory): the
		// request's share of the work budget grows first.
		this.parser = new InferenceRequestParser(mapper, limits.maxElements(), share::reserve);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return type == InferenceRequest.class;
	}

	@Override
	protected boolean canWrite(MediaType mediaType) {
		return false;
	}

	@Override
	protected InferenceRequest readInternal(Class<? extends InferenceRequest> type, HttpInputMessage message)
			throws IOException {
		byte[] body = read(message);
		try {
			return this.parser.parse(body, headerLength(message, body.length));
		}
		catch (JacksonException ex) {
			throw new HttpMessageNotReadableException("The inference request is not valid JSON", ex, message);
		}
	}

	@Override
	protected void writeInternal(InferenceRequest request, HttpOutputMessage message) {
		throw new UnsupportedOperationException("Inference requests are only read");
	}

	private static byte[] read(HttpInputMessage message) throws IOException {
		try (InputStream in = message.getBody()) {
			return TensorBytes.readBody(in, message.getHeaders().getContentLength());
		}
	}

	private static int headerLength(HttpInputMessage message, int bodyLength) {
		String value = message.getHeaders().getFirst(InferenceProtocol.HEADER_LENGTH);
		if (value == null) {
			return bodyLength;
		}
		long length;
		try {
			length = Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			length = -1;
		}
		if (length < 0 || length > bodyLength) {
			throw new InvalidInputException("", InferenceProtocol.HEADER_LENGTH + " must be the length in bytes of "
					+ "the JSON object at the start of the body, from 0 to " + bodyLength + ", not '" + value + "'.",
					"malformed-json");
		}
		return (int) length;
	}

}
