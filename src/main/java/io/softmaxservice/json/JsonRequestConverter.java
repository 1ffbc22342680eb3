package io.softmaxservice.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.softmaxservice.system.WorkBudgetShare;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.LargeArrays;
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
 * Reads {@code application/json} (UTF-8) bodies into the request records that have tensor
 * fields, with {@link JsonRequestReader}: the body is read once, in chunks, and never
 * held whole. Registered ahead of Jackson's converter, which still reads every other
 * body. Every failure reaches the problem-details mapping as a
 * {@link HttpMessageNotReadableException} whose cause says what is wrong.
 */
@Component
class JsonRequestConverter extends AbstractHttpMessageConverter<Object> {

	private final JsonRequestReader reader;

	private final Map<Class<?>, Optional<RequestRecord>> records = new ConcurrentHashMap<>();

	JsonRequestConverter(JsonMapper mapper, TensorLimits limits, WorkBudgetShare share, LargeArrays arrays) {
		super(MediaType.APPLICATION_JSON);
		// The body is read 64 KiB at a time, but a body of short numbers ("0,") takes up
		// to eight times its size in doubles while it is read: the request's share (its
		// body's size) grows to that first.
		// A large tensor's array is recycled from an earlier request (LargeArrays).
		this.reader = new JsonRequestReader(mapper, limits.maxElements(), share::reserveInAll, arrays::take);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return record(type) != null;
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		if (mediaType == null) {
			return true;
		}
		Charset charset = mediaType.getCharset();
		return super.canRead(mediaType) && (charset == null || charset.equals(StandardCharsets.UTF_8));
	}

	@Override
	public boolean canWrite(Class<?> type, MediaType mediaType) {
		return false;
	}

	@Override
	protected Object readInternal(Class<?> type, HttpInputMessage message) throws IOException {
		try {
			return this.reader.read(record(type), message.getBody(), message.getHeaders().getContentLength());
		}
		catch (JsonSyntaxException | InvalidInputException | JacksonException ex) {
			throw new HttpMessageNotReadableException("Invalid request body: " + ex.getMessage(), ex, message);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	@Override
	protected void writeInternal(Object body, HttpOutputMessage message) {
		throw new UnsupportedOperationException("Reads request bodies only");
	}

	private RequestRecord record(Class<?> type) {
		return this.records.computeIfAbsent(type, (key) -> Optional.ofNullable(RequestRecord.of(key))).orElse(null);
	}

}
