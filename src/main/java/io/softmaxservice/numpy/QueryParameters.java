package io.softmaxservice.numpy;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.softmaxservice.tensor.ExactEnumReader;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.TensorReader;
import org.jspecify.annotations.Nullable;

/**
 * The scalar fields of a request given as query parameters ({@code ?axis=0&log=true}),
 * read with the rules of their JSON form: whole numbers for integer fields ({@code 2},
 * {@code 2.0} and {@code 2e0} alike), JSON number syntax (or {@code NaN},
 * {@code Infinity}, {@code -Infinity}) for numbers, {@code true} or {@code false}, and an
 * enum's exact names. Each parameter may appear once; an error points at its field
 * ({@code /axis}).
 */
final class QueryParameters {

	private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

	private static final BigDecimal MIN_INT = BigDecimal.valueOf(Integer.MIN_VALUE);

	private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

	private QueryParameters() {
	}

	/**
	 * Splits a raw query string into decoded names and values.
	 * @param rawQuery the query string, or null
	 * @return each parameter's value by name, in order
	 */
	static Map<String, String> parse(@Nullable String rawQuery) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return parameters;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			if (parameters.put(name, value) != null) {
				throw new InvalidInputException(pointer(name),
						"The query parameter '" + TensorReader.abbreviate(name) + "' is given twice; give it once.",
						"duplicate");
			}
		}
		return parameters;
	}

	/**
	 * Reads one parameter as the type of its field.
	 * @param name the field's name
	 * @param text the parameter's value
	 * @param type the field's type: Integer, Double, Boolean or an enum
	 * @return the value
	 */
	static Object value(String name, String text, Class<?> type) {
		String pointer = pointer(name);
		if (type == Integer.class) {
			return wholeNumber(text, pointer);
		}
		if (type == Double.class) {
			if (!JSON_NUMBER.matcher(text).matches() && !text.equals("NaN") && !text.equals("Infinity")
					&& !text.equals("-Infinity")) {
				throw new InvalidInputException(pointer,
						"Expected a number, found '" + TensorReader.abbreviate(text) + "'.", "wrong-type");
			}
			return Double.parseDouble(text);
		}
		if (type == Boolean.class) {
			if (!text.equals("true") && !text.equals("false")) {
				throw new InvalidInputException(pointer,
						"Expected true or false, found '" + TensorReader.abbreviate(text) + "'.", "wrong-type");
			}
			return Boolean.valueOf(text);
		}
		if (type.isEnum()) {
			for (Object constant : type.getEnumConstants()) {
				if (ExactEnumReader.name((Enum<?>) constant).equals(text)) {
					return constant;
				}
			}
			throw new InvalidInputException(pointer, "The value \"" + TensorReader.abbreviate(text)
					+ "\" is not allowed here; use one of " + ExactEnumReader.names(type) + ".", "unknown-value");
		}
		throw new IllegalStateException("No query parameter form for " + type.getSimpleName());
	}

	/**
	 * A whole number within the int range, exactly: the literal's value must have no
	 * fractional part ({@code 2.0000000001} is refused, {@code 2.0} is 2).
	 */
	private static Integer wholeNumber(String text, String pointer) {
		if (!JSON_NUMBER.matcher(text).matches()) {
			throw new InvalidInputException(pointer,
					"Expected a whole number, found '" + TensorReader.abbreviate(text) + "'.", "wrong-type");
		}
		BigDecimal value;
		try {
			value = new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidInputException(pointer,
					"The number " + TensorReader.abbreviate(text) + " is out of range.", "out-of-range");
		}
		if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
			throw new InvalidInputException(pointer,
					"Expected a whole number, found " + TensorReader.abbreviate(text) + ".", "not-whole");
		}
		if (value.compareTo(MIN_INT) < 0 || value.compareTo(MAX_INT) > 0) {
			throw new InvalidInputException(pointer,
					"The number " + TensorReader.abbreviate(text) + " is out of range.", "out-of-range");
		}
		return value.intValue();
	}

	static String pointer(String name) {
		return "/" + name.replace("~", "~0").replace("/", "~1");
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("",
					"The query string has a malformed percent-encoding; encode it as a URL's query.", "wrong-type");
		}
	}

}
