package io.softmaxservice.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A request record as the JSON reader sees it: its components by JSON name, which of them
 * are tensors (or masks) the reader scans itself, and how to build it from its
 * components' values.
 */
final class RequestRecord {

	private final Class<?> type;

	private final Map<String, Integer> indexes = new HashMap<>();

	private final Class<?>[] types;

	private final Method[] accessors;

	private final Constructor<?> constructor;

	private RequestRecord(Class<?> type) {
		this.type = type;
		RecordComponent[] components = type.getRecordComponents();
		this.types = new Class<?>[components.length];
		this.accessors = new Method[components.length];
		for (int i = 0; i < components.length; i++) {
			this.types[i] = components[i].getType();
			this.accessors[i] = components[i].getAccessor();
			this.accessors[i].setAccessible(true);
			this.indexes.put(jsonName(type, components[i]), i);
		}
		try {
			this.constructor = type.getDeclaredConstructor(this.types);
			this.constructor.setAccessible(true);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The record's view, if the type is a record with at least one tensor component.
	 * @param type a request body type
	 * @return its view, or null if the reader does not handle it
	 */
	static @Nullable RequestRecord of(Class<?> type) {
		if (!type.isRecord()) {
			return null;
		}
		for (RecordComponent component : type.getRecordComponents()) {
			if (component.getType() == Tensor.class) {
				return new RequestRecord(type);
			}
		}
		return null;
	}

	Class<?> type() {
		return this.type;
	}

	int size() {
		return this.types.length;
	}

	/**
	 * The index of the component a JSON member binds to.
	 * @param name the member's name
	 * @return the index, or -1 for an unknown member
	 */
	int index(String name) {
		Integer index = this.indexes.get(name);
		return (index != null) ? index : -1;
	}

	boolean isTensor(int index) {
		return this.types[index] == Tensor.class;
	}

	boolean isMask(int index) {
		return this.types[index] == Mask.class;
	}

	/**
	 * One component of a record.
	 * @param record an instance of this record type
	 * @param index the component
	 * @return its value
	 */
	@Nullable Object component(Object record, int index) {
		try {
			return this.accessors[index].invoke(record);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Builds the record.
	 * @param values its components' values, in order
	 * @return the record
	 */
	Object create(@Nullable Object[] values) {
		try {
			return this.constructor.newInstance(values);
		}
		catch (InstantiationException | IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String jsonName(Class<?> type, RecordComponent component) {
		JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
		if (property == null) {
			try {
				property = type.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
			}
			catch (NoSuchFieldException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return (property != null && !property.value().isEmpty()) ? property.value() : component.getName();
	}

}
