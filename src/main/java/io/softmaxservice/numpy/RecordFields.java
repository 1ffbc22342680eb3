package io.softmaxservice.numpy;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * The fields of a request or response record as its JSON names them
 * ({@code @JsonProperty} or the component's name), with their types, so that the NumPy
 * formats bind and write exactly the fields the JSON body has. Looked up once per record
 * type.
 *
 * @param type the record type
 * @param fields its components, in declaration order
 * @param constructor its canonical constructor
 */
record RecordFields(Class<?> type, List<Field> fields, Constructor<?> constructor) {

	private static final ClassValue<RecordFields> CACHE = new ClassValue<>() {
		@Override
		protected RecordFields computeValue(Class<?> type) {
			return inspect(type);
		}
	};

	/** {@link #hasTensors}, asked for every converter Spring MVC considers. */
	private static final ClassValue<Boolean> HAS_TENSORS = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			return type.isRecord() && of(type).fields().stream().anyMatch(Field::isTensor);
		}
	};

	/**
	 * The fields of a record type.
	 * @param type a record type
	 * @return its fields
	 */
	static RecordFields of(Class<?> type) {
		return CACHE.get(type);
	}

	/**
	 * Whether a type is a record with at least one array field.
	 * @param type any type
	 * @return true for a request or response record of the service
	 */
	static boolean hasTensors(Class<?> type) {
		return HAS_TENSORS.get(type);
	}

	/**
	 * The field with a JSON name.
	 * @param name the name
	 * @return the field, or null
	 */
	@Nullable Field field(String name) {
		for (Field field : this.fields) {
			if (field.name().equals(name)) {
				return field;
			}
		}
		return null;
	}

	/**
	 * The names of the fields of one kind, for messages.
	 * @param tensors whether to list the tensor fields or the others
	 * @return e.g. {@code logits, mask}
	 */
	String names(boolean tensors) {
		return String.join(", ", this.fields.stream().filter((f) -> f.isTensor() == tensors).map(Field::name).toList());
	}

	/**
	 * The tensor fields of a record value that are set, by JSON name.
	 * @param value a record
	 * @return its non-null tensors in declaration order
	 */
	Map<String, Tensor> tensors(Object value) {
		Map<String, Tensor> tensors = new LinkedHashMap<>();
		for (Field field : this.fields) {
			if (field.type() == Tensor.class) {
				Object tensor = ReflectionUtils.invokeMethod(field.component().getAccessor(), value);
				if (tensor != null) {
					tensors.put(field.name(), (Tensor) tensor);
				}
			}
		}
		return tensors;
	}

	/**
	 * Builds a record from its fields' values.
	 * @param values the values in declaration order, null for absent fields
	 * @return the record
	 */
	Object create(@Nullable Object[] values) {
		try {
			return this.constructor.newInstance(values);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot create " + this.type.getSimpleName(), ex);
		}
	}

	private static RecordFields inspect(Class<?> type) {
		List<Field> fields = new ArrayList<>();
		RecordComponent[] components = type.getRecordComponents();
		Class<?>[] types = new Class<?>[components.length];
		for (int i = 0; i < components.length; i++) {
			RecordComponent component = components[i];
			JsonProperty property = jsonProperty(type, component);
			String name = (property != null && !property.value().isEmpty()) ? property.value() : component.getName();
			fields.add(new Field(name, component));
			types[i] = component.getType();
			ReflectionUtils.makeAccessible(component.getAccessor());
		}
		try {
			Constructor<?> constructor = type.getDeclaredConstructor(types);
			ReflectionUtils.makeAccessible(constructor);
			return new RecordFields(type, List.copyOf(fields), constructor);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("No canonical constructor in " + type.getSimpleName(), ex);
		}
	}

	/**
	 * The {@code @JsonProperty} of a component, which Java puts on the field, accessor
	 * and constructor parameter it targets, not on the component itself.
	 */
	private static @Nullable JsonProperty jsonProperty(Class<?> type, RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		if (property != null) {
			return property;
		}
		try {
			return type.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
		}
		catch (NoSuchFieldException ex) {
			return null;
		}
	}

	/**
	 * One field.
	 *
	 * @param name its JSON name
	 * @param component the record component
	 */
	record Field(String name, RecordComponent component) {

		/** Whether the field is an array: a tensor or a mask. */
		boolean isTensor() {
			return this.component.getType() == Tensor.class || this.component.getType() == Mask.class;
		}

		Class<?> type() {
			return this.component.getType();
		}

	}

}
