package io.softmaxservice.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * What an answer holds in memory until it has been written: 8 bytes for each element of
 * every tensor in it (its values as doubles, or its raw float32 or float64 bytes, which
 * take no more), found in its record components, the records and collections they hold, a
 * few levels deep. Each record class's accessors are looked up once.
 */
final class AnswerBytes {

	private static final int MAX_DEPTH = 4;

	private static final ClassValue<Method[]> PARTS = new ClassValue<>() {
		@Override
		protected Method[] computeValue(Class<?> type) {
			if (!type.isRecord()) {
				return new Method[0];
			}
			List<Method> parts = new ArrayList<>();
			for (RecordComponent component : type.getRecordComponents()) {
				Class<?> part = component.getType();
				if (part == Tensor.class || part.isRecord() || Collection.class.isAssignableFrom(part)
						|| Map.class.isAssignableFrom(part) || part == Object.class) {
					Method accessor = component.getAccessor();
					accessor.setAccessible(true);
					parts.add(accessor);
				}
			}
			return parts.toArray(new Method[0]);
		}
	};

	private AnswerBytes() {
	}

	/**
	 * The bytes an answer's tensors hold.
	 * @param answer a response body, or null
	 * @return 8 bytes per tensor element in it; 0 if it holds no tensor
	 */
	static long of(@Nullable Object answer) {
		return of(answer, 0);
	}

	private static long of(@Nullable Object value, int depth) {
		if (value == null || depth > MAX_DEPTH) {
			return 0;
		}
		if (value instanceof Tensor tensor) {
			return (long) tensor.size() * Double.BYTES;
		}
		long bytes = 0;
		if (value instanceof Collection<?> values) {
			for (Object element : values) {
				bytes += of(element, depth + 1);
			}
			return bytes;
		}
		if (value instanceof Map<?, ?> map) {
			return of(map.values(), depth);
		}
		for (Method part : PARTS.get(value.getClass())) {
			try {
				bytes += of(part.invoke(value), depth + 1);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				// An accessor that fails holds nothing this can count.
			}
		}
		return bytes;
	}

}
