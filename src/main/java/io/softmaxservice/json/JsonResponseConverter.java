package io.softmaxservice.json;

import java.io.IOException;
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
 */
@Component
class JsonResponseConverter extends AbstractHttpMessageConverter<Object> {

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
		JsonTensorWriter writer = new JsonTensorWriter(message.getBody(), nonFiniteAsNull, expectedSize(body, fields));
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
		writer.flush();
	}

	/** About the answer's length: a number, its comma and the names take at most this. */
	private static int expectedSize(Object body, Fields fields) {
		long size = 64;
		for (int i = 0; i < fields.names.length; i++) {
			Tensor value = fields.value(body, i);
			size += fields.names[i].length() + 8 + ((value != null) ? 26L * value.size() : 4);
		}
		return (int) Math.min(size, JsonTensorWriter.BUFFER_SIZE);
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

}
