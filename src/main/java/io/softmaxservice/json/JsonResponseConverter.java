package io.softmaxservice.json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.softmaxservice.tensor.Tensor;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.stereotype.Component;

/**
 * Writes the response records whose fields are all tensors as {@code application/json}
 * with {@link JsonTensorWriter}: streamed, shortest round-trip decimals, fields named and
 * left out as their Jackson annotations say ({@code @JsonProperty},
 * {@code @JsonInclude(NON_NULL)}). With the media type parameter {@code nonfinite=null}
 * non-finite values are written as {@code null}.
 *
 * <p>
 * An answer sure to fit the writer's buffer (up to about 2,500 values) is sent whole,
 * with a {@code Content-Length}. So is an answer of at least {@link #LENGTH_FIRST_VALUES}
 * values, written twice for it: once only to count its bytes, keeping each value's digits
 * ({@link io.softmaxservice.tensor.ShortestDecimal#measure(double)}, 8 bytes per value),
 * then again to send them, from those digits. Clients read a body of known length faster
 * than a chunked one (Python's {@code http.client} spent 0.2 s instead of 0.4 s of CPU on
 * a 44 MB answer), which for such answers is worth the counting pass: 47 ns per value for
 * both passes, where one pass alone takes 34 and two passes that each search for the
 * digits took 61 (JMH, {@code JsonBenchmark}). Answers in between stream chunked, as
 * before, at no more server CPU: most clients (curl, wrk, Java's) read chunks at no cost,
 * and Python's spends about 4 ms more per megabyte.
 */
@Component
class JsonResponseConverter extends AbstractHttpMessageConverter<Object> {

	/**
	 * Answers of at least this many values are sent with a {@code Content-Length},
	 * written twice for it (see the class comment).
	 */
	static final int LENGTH_FIRST_VALUES = 1 << 20;

	private final Map<Class<?>, Optional<Fields>> fields = new ConcurrentHashMap<>();

	JsonResponseConverter() {
		super(MediaType.APPLICATION_JSON);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return fields(type) != null;
	}

	@Override
	public boolean canRead(Class<?> type, MediaType mediaType) {
		return false;
	}

	@Override
	protected Object readInternal(Class<?> type, HttpInputMessage message) {
		throw new UnsupportedOperationException("Writes response bodies only");
	}

	@Override
	protected void writeInternal(Object body, HttpOutputMessage message) throws IOException {
		MediaType contentType = message.getHeaders().getContentType();
		boolean nonFiniteAsNull = contentType != null && "null".equals(contentType.getParameter("nonfinite"));
		Fields fields = fields(body.getClass());
		long size = expectedSize(body, fields);
		int bufferSize = (int) Math.min(size, JsonTensorWriter.BUFFER_SIZE);
		boolean small = size <= JsonTensorWriter.BUFFER_SIZE;
		long values = small ? 0 : valueCount(body, fields);
		if (small) {
			// Written into the buffer and sent from there with its length; should it not
			// fit after all, written again, streamed, after that length.
			ByteCounter counter = new ByteCounter();
			JsonTensorWriter counted = write(body, fields, new JsonTensorWriter(counter, nonFiniteAsNull, bufferSize));
			message.getHeaders().setContentLength(counter.count + counted.buffered());
			if (counter.count == 0) {
				counted.flushTo(message.getBody());
				return;
			}
		}
		else if (values >= LENGTH_FIRST_VALUES) {
			// Measured once to count its bytes, keeping each value's digits, from which
			// the
			// second pass writes it without searching for them again.
			ByteCounter counter = new ByteCounter();
			long[] measures = new long[Math.toIntExact(values)];
			JsonTensorWriter counted = write(body, fields,
					JsonTensorWriter.measuring(counter, nonFiniteAsNull, bufferSize, measures));
			message.getHeaders().setContentLength(counter.count + counted.buffered());
			write(body, fields, JsonTensorWriter.measured(message.getBody(), nonFiniteAsNull, bufferSize, measures))
				.flush();
			return;
		}
		write(body, fields, new JsonTensorWriter(message.getBody(), nonFiniteAsNull, bufferSize)).flush();
	}

	/** Writes the record as a JSON object, all but the writer's last buffer. */
	private static JsonTensorWriter write(Object body, Fields fields, JsonTensorWriter writer) throws IOException {
		writer.ascii('{');
		boolean first = true;
		for (int i = 0; i < fields.names.length; i++) {
			Tensor value = fields.value(body, i);
			if (value == null && fields.skipNull[i]) {
				continue;
			}
			if (!first) {
				writer.ascii(',');
			}
			first = false;
			writer.name(fields.names[i]);
			if (value != null) {
				writer.tensor(value);
			}
			else {
				writer.nullValue();
			}
		}
		writer.ascii('}');
		return writer;
	}

	/**
	 * About the answer's length, at most: a number and its comma take at most 26 bytes
	 * (more only with brackets around single values).
	 */
	private static long expectedSize(Object body, Fields fields) {
		long size = 64;
		for (int i = 0; i < fields.names.length; i++) {
			Tensor value = fields.value(body, i);
			size += fields.names[i].length() + 8 + ((value != null) ? 26L * value.size() : 4);
		}
		return size;
	}

	private static long valueCount(Object body, Fields fields) {
		long count = 0;
		for (int i = 0; i < fields.names.length; i++) {
			Tensor value = fields.value(body, i);
			count += (value != null) ? value.size() : 0;
		}
		return count;
	}

	private Fields fields(Class<?> type) {
		return this.fields.computeIfAbsent(type, (key) -> Optional.ofNullable(Fields.of(key))).orElse(null);
	}

	/**
	 * A response record's tensor fields: JSON names, accessors, whether null is left out.
	 */
	private static final class Fields {

		private final String[] names;

		private final Method[] accessors;

		private final boolean[] skipNull;

		private Fields(Class<?> type, RecordComponent[] components) {
			this.names = new String[components.length];
			this.accessors = new Method[components.length];
			this.skipNull = new boolean[components.length];
			boolean skipAll = nonNull(type.getAnnotation(JsonInclude.class));
			for (int i = 0; i < components.length; i++) {
				this.names[i] = RequestRecord.jsonName(type, components[i]);
				this.accessors[i] = components[i].getAccessor();
				this.accessors[i].setAccessible(true);
				this.skipNull[i] = skipAll || nonNull(this.accessors[i].getAnnotation(JsonInclude.class))
						|| nonNull(field(type, components[i]).getAnnotation(JsonInclude.class));
			}
		}

		static Fields of(Class<?> type) {
			if (!type.isRecord() || type.getRecordComponents().length == 0) {
				return null;
			}
			for (RecordComponent component : type.getRecordComponents()) {
				if (component.getType() != Tensor.class) {
					return null;
				}
			}
			return new Fields(type, type.getRecordComponents());
		}

		Tensor value(Object record, int index) {
			try {
				return (Tensor) this.accessors[index].invoke(record);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static boolean nonNull(JsonInclude include) {
			return include != null && include.value() == JsonInclude.Include.NON_NULL;
		}

		private static java.lang.reflect.Field field(Class<?> type, RecordComponent component) {
			try {
				return type.getDeclaredField(component.getName());
			}
			catch (NoSuchFieldException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** A stream that counts the bytes written to it and drops them. */
	private static final class ByteCounter extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.count += len;
		}

	}

}
