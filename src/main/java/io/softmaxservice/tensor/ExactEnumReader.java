package io.softmaxservice.tensor;

import java.util.StringJoiner;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an enum field ({@code dtype}, {@code mode}, {@code reduction}) from exactly one
 * of its names, as its constants' {@link JsonProperty} give them. Jackson's own enum
 * reader also accepts the name with spaces around it and an index number; this one
 * refuses anything else at the field's pointer, naming the values allowed. Put it on an
 * enum type with {@code @JsonDeserialize(using = ExactEnumReader.class)}.
 */
public class ExactEnumReader extends ValueDeserializer<Enum<?>> {

	private final Class<?> type;

	public ExactEnumReader() {
		this(null);
	}

	private ExactEnumReader(Class<?> type) {
		this.type = type;
	}

	@Override
	public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
		JavaType contextual = context.getContextualType();
		JavaType enumType = (contextual != null) ? contextual : property.getType();
		return new ExactEnumReader(enumType.getRawClass());
	}

	@Override
	public Enum<?> deserialize(JsonParser parser, DeserializationContext context) {
		String pointer = parser.streamReadContext().pathAsPointer().toString();
		JsonToken token = parser.currentToken();
		if (token != JsonToken.VALUE_STRING) {
			throw new InvalidInputException(pointer,
					"Expected one of " + names(this.type) + ", found " + TensorReader.describe(token) + ".",
					"wrong-type");
		}
		String text = parser.getString();
		for (Object constant : this.type.getEnumConstants()) {
			if (name((Enum<?>) constant).equals(text)) {
				return (Enum<?>) constant;
			}
		}
		throw new InvalidInputException(pointer, "The value \"" + TensorReader.abbreviate(text)
				+ "\" is not allowed here; use one of " + names(this.type) + ".", "unknown-value");
	}

	/**
	 * The names an enum is read from and written as, quoted and comma-separated.
	 * @param type an enum type
	 * @return e.g. {@code "float64", "float32"}
	 */
	public static String names(Class<?> type) {
		StringJoiner names = new StringJoiner(", ");
		for (Object constant : type.getEnumConstants()) {
			names.add('"' + name((Enum<?>) constant) + '"');
		}
		return names.toString();
	}

	/**
	 * The name an enum constant is read from and written as: its {@code @JsonProperty}.
	 * @param constant the constant
	 * @return e.g. {@code float64}
	 */
	public static String name(Enum<?> constant) {
		try {
			JsonProperty property = constant.getDeclaringClass()
				.getField(constant.name())
				.getAnnotation(JsonProperty.class);
			return (property != null) ? property.value() : constant.name();
		}
		catch (NoSuchFieldException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
