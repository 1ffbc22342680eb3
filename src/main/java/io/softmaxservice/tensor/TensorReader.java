package io.softmaxservice.tensor;

import java.util.Arrays;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a JSON tensor (a number, or nested arrays of numbers up to rank 8) straight from
 * the token stream into a primitive array and its shape, enforcing the contract's
 * structure rules as it goes: rectangular, no empty dimension, no {@code NaN}, no
 * non-standard number token but {@code NaN}, {@code Infinity} and {@code -Infinity}, and
 * the element limit. The first offending element is reported by its JSON Pointer.
 */
@JacksonComponent
public class TensorReader extends ValueDeserializer<Tensor> {

	private static final int INITIAL_CAPACITY = 1024;

	private final int maxElements;

	public TensorReader(TensorLimits limits) {
		this.maxElements = limits.maxElements();
	}

	@Override
	public Class<?> handledType() {
		return Tensor.class;
	}

	@Override
	public Tensor deserialize(JsonParser parser, DeserializationContext context) {
		String root = rootPointer(parser);
		JsonToken token = parser.currentToken();
		if (token.isNumeric()) {
			return Tensor.scalar(readNumber(parser, root));
		}
		if (token != JsonToken.START_ARRAY) {
			throw new InvalidInputException(root, "Expected a number or an array of numbers, found " + describe(token)
					+ "; send the tensor as nested JSON arrays of numbers.", "wrong-type");
		}
		return readArray(parser, root, false);
	}

	/**
	 * Reads the nested arrays that start at the current token, of numbers or, for a
	 * {@link MaskReader}, of booleans (read as 1 and 0).
	 * @param parser a parser at a {@code START_ARRAY}
	 * @param root the pointer of the tensor
	 * @param booleans whether the elements are {@code true} and {@code false}
	 * @return the tensor, float64
	 */
	Tensor readArray(JsonParser parser, String root, boolean booleans) {
		// dims[d]: the length of every array at depth d, known once the first one closes.
		// count[d]: how many items the array now open at depth d has read so far.
		int[] dims = new int[Tensor.MAX_RANK + 1];
		int[] count = new int[Tensor.MAX_RANK + 1];
		int rank = -1;
		int depth = 1;
		double[] values = new double[Math.min(INITIAL_CAPACITY, this.maxElements)];
		int size = 0;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				throw new InvalidInputException(root, "The tensor ends before its arrays are closed.",
						"malformed-json");
			}
			if (token == JsonToken.END_ARRAY) {
				int length = count[depth];
				if (length == 0) {
					throw new InvalidInputException(pointer(root, count, depth),
							"Empty array: every dimension of a tensor must have length 1 or more.", "empty");
				}
				if (dims[depth] == 0) {
					dims[depth] = length;
				}
				else if (dims[depth] != length) {
					throw raggedRow(root, count, depth, length, dims[depth]);
				}
				depth--;
				count[depth]++;
				continue;
			}
			int index = count[depth];
			if (dims[depth] != 0 && index >= dims[depth]) {
				throw raggedRow(root, count, depth, index + 1, dims[depth]);
			}
			if (token == JsonToken.START_ARRAY) {
				if (rank != -1 && depth >= rank) {
					throw new InvalidInputException(pointer(root, count, depth + 1),
							"Expected " + element(booleans) + ", found an array: the tensor has rank " + rank
									+ " so arrays may nest only " + rank + " deep.",
							"ragged");
				}
				if (depth >= Tensor.MAX_RANK) {
					throw new InvalidInputException(pointer(root, count, depth + 1),
							"Too many dimensions: a tensor may have at most " + Tensor.MAX_RANK + ".", "rank");
				}
				depth++;
				count[depth] = 0;
				continue;
			}
			if (booleans ? !token.isBoolean() : !token.isNumeric()) {
				throw new InvalidInputException(pointer(root, count, depth + 1),
						"Expected " + element(booleans) + ", found " + describe(token) + ".", "wrong-type");
			}
			if (rank == -1) {
				rank = depth;
			}
			else if (depth != rank) {
				throw new InvalidInputException(pointer(root, count, depth + 1),
						"Expected an array, found " + element(booleans) + ": the tensor has rank " + rank + ".",
						"ragged");
			}
			if (size == this.maxElements) {
				throw new InputTooLargeException(root, "The tensor has more than " + this.maxElements
						+ " elements, the limit; send a smaller tensor.");
			}
			if (size == values.length) {
				values = Arrays.copyOf(values, (int) Math.min(2L * size, this.maxElements));
			}
			values[size++] = booleans ? ((token == JsonToken.VALUE_TRUE) ? 1 : 0)
					: readNumber(parser, pointer(root, count, depth + 1));
			count[depth]++;
		}
		int[] shape = Arrays.copyOfRange(dims, 1, rank + 1);
		return Tensor.of(shape, (size == values.length) ? values : Arrays.copyOf(values, size));
	}

	/**
	 * Reads the current number token. A literal too large for a double reads as its
	 * nearest double, an infinity; of the non-standard tokens only {@code Infinity} and
	 * {@code -Infinity} are values, and {@code NaN} is refused everywhere.
	 */
	static double readNumber(JsonParser parser, String pointer) {
		double value = parser.getDoubleValue();
		if (!Double.isFinite(value)) {
			String text = parser.getString();
			if (Double.isNaN(value)) {
				throw new InvalidInputException(pointer, "NaN is not allowed; send a number.", "nan");
			}
			boolean literal = Character.isDigit(text.charAt((text.charAt(0) == '-') ? 1 : 0));
			if (!literal && !text.equals("Infinity") && !text.equals("-Infinity")) {
				throw new InvalidInputException(pointer,
						"'" + text + "' is not a number; the only non-finite tokens read are Infinity and -Infinity.",
						"non-standard-number");
			}
		}
		return value;
	}

	private static InvalidInputException raggedRow(String root, int[] count, int depth, int length, int expected) {
		String has = (length > expected) ? "more than " + expected : Integer.toString(length);
		return new InvalidInputException(pointer(root, count, depth), "This array has " + has
				+ " elements but the first array at its depth has " + expected + "; a tensor must be rectangular.",
				"ragged");
	}

	/**
	 * The pointer of the item at {@code depth}: the indexes of the items open at depths 1
	 * to {@code depth - 1}, then the index the array at {@code depth - 1} is at.
	 */
	private static String pointer(String root, int[] count, int depth) {
		StringBuilder pointer = new StringBuilder(root);
		for (int d = 1; d < depth; d++) {
			pointer.append('/').append(count[d]);
		}
		return pointer.toString();
	}

	private static String element(boolean booleans) {
		return booleans ? "true or false" : "a number";
	}

	static String rootPointer(JsonParser parser) {
		TokenStreamContext context = parser.streamReadContext();
		if (parser.currentToken() == JsonToken.START_ARRAY) {
			context = context.getParent();
		}
		return context.pathAsPointer().toString();
	}

	/**
	 * A request's text as an error message may quote it: whole if short, else its
	 * beginning and end, so that a huge value is not echoed back.
	 * @param text the text
	 * @return it, or its beginning and end
	 */
	public static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 20) + "..." + text.substring(text.length() - 10);
	}

	static String describe(JsonToken token) {
		return switch (token) {
			case VALUE_STRING -> "a string";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			default -> "a " + token.name().toLowerCase(java.util.Locale.ROOT);
		};
	}

}
