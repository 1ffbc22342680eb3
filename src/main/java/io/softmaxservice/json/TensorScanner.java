package io.softmaxservice.json;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;

/**
 * Reads a JSON tensor (a number, or nested arrays of numbers up to rank 8) from the
 * request's bytes into a primitive array and its shape, with the rules and the error
 * details of {@link io.softmaxservice.tensor.TensorReader}: rectangular, no empty
 * dimension, no {@code NaN}, no non-standard token but {@code Infinity} and
 * {@code -Infinity}, the element limit, and the pointer of the first offending element.
 * Syntax errors are found first, then the structure rules, then the value rules, in the
 * order Jackson's token stream would show them.
 */
final class TensorScanner {

	private final JsonInput in;

	private final int maxElements;

	private final JsonNumbers numbers = new JsonNumbers();

	private final ValueBlocks blocks;

	private final Supplier<String> elementPointer = () -> pointer(this.depth + 1);

	/** The length of every array at depth d, known once the first one closes. */
	private final int[] dims = new int[Tensor.MAX_RANK + 2];

	/** How many items the array now open at depth d has read so far. */
	private final int[] count = new int[Tensor.MAX_RANK + 2];

	private String root = "";

	/** Whether the elements are {@code true} and {@code false} rather than numbers. */
	private boolean booleans;

	private int depth;

	TensorScanner(JsonInput in, int maxElements, LongConsumer beforeGrowing, IntFunction<double[]> arrays) {
		this.in = in;
		this.maxElements = maxElements;
		this.blocks = new ValueBlocks(maxElements, beforeGrowing, arrays);
	}

	/**
	 * Reads the tensor that starts at the input's next byte and moves past it.
	 * @param pointer the tensor's pointer, e.g. {@code /logits}
	 * @return the tensor
	 */
	Tensor read(String pointer) {
		this.booleans = false;
		return readValue(pointer);
	}

	/**
	 * Reads the boolean tensor (a mask) that starts at the input's next byte: the same
	 * rules, with {@code true} and {@code false} as its elements.
	 * @param pointer the mask's pointer, e.g. {@code /mask}
	 * @return the mask
	 */
	Mask readMask(String pointer) {
		this.booleans = true;
		this.root = pointer;
		int c = this.in.peek();
		if (c == '[') {
			Tensor values = readArray();
			boolean[] keep = new boolean[values.size()];
			for (int i = 0; i < keep.length; i++) {
				keep[i] = values.get(i) != 0;
			}
			return new Mask(values.shape(), keep);
		}
		String found = (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') ? number() : describeOther(false);
		if (found.equals("a boolean")) {
			return Mask.of(new int[0], c == 't');
		}
		throw new InvalidInputException(this.root, "Expected true, false or nested arrays of them, found " + found
				+ "; send the mask as nested JSON arrays of true and false.", "wrong-type");
	}

	private String number() {
		this.numbers.read(this.in, () -> this.root);
		return "a number";
	}

	private Tensor readValue(String pointer) {
		this.root = pointer;
		this.depth = 0;
		int c = this.in.peek();
		if (c == '[') {
			return readArray();
		}
		if (isNumberStart(c)) {
			double value = this.numbers.read(this.in, () -> this.root);
			checkToken(value, this.root);
			return Tensor.scalar(value);
		}
		throw new InvalidInputException(this.root, "Expected a number or an array of numbers, found "
				+ describeOther(false) + "; send the tensor as nested JSON arrays of numbers.", "wrong-type");
	}

	private Tensor readArray() {
		int[] dims = this.dims;
		int[] count = this.count;
		Arrays.fill(dims, 0);
		JsonInput in = this.in;
		int rank = -1;
		ValueBlocks blocks = this.blocks;
		double[] values = blocks.first();
		int size = 0;
		in.pos++;
		this.depth = 1;
		count[1] = 0;
		boolean afterComma = false;
		while (true) {
			int c = (in.pos < in.limit && in.buffer[in.pos] > ' ') ? in.buffer[in.pos] : in.skipWhitespace();
			int depth = this.depth;
			if (c == ']' && !afterComma) {
				int length = count[depth];
				if (length == 0) {
					throw new InvalidInputException(pointer(depth),
							"Empty array: every dimension of a tensor must have length 1 or more.", "empty");
				}
				if (dims[depth] == 0) {
					dims[depth] = length;
				}
				else if (dims[depth] != length) {
					throw raggedRow(depth, length, dims[depth]);
				}
				in.pos++;
				this.depth = --depth;
				if (depth == 0) {
					break;
				}
				count[depth]++;
				afterComma = afterValue();
				continue;
			}
			if (isNumberStart(c)) {
				double value = (in.limit - in.pos >= ShortNumbers.LOOKAHEAD) ? ShortNumbers.read(in) : Double.NaN;
				boolean literal = value == value;
				if (!literal) {
					value = this.numbers.read(in, this.elementPointer);
				}
				int index = count[depth];
				if (dims[depth] != 0 && index >= dims[depth]) {
					throw raggedRow(depth, index + 1, dims[depth]);
				}
				if (this.booleans) {
					throw new InvalidInputException(pointer(depth + 1), "Expected true or false, found a number.",
							"wrong-type");
				}
				if (rank != depth) {
					if (rank != -1) {
						throw new InvalidInputException(pointer(depth + 1),
								"Expected an array, found " + element() + ": the tensor has rank " + rank + ".",
								"ragged");
					}
					rank = depth;
				}
				if (size == values.length) {
					if (blocks.atLimit(values)) {
						throw tooLarge();
					}
					values = blocks.next(values);
					size = 0;
				}
				if (!literal && this.numbers.token != JsonNumbers.LITERAL) {
					checkToken(value, pointer(depth + 1));
				}
				values[size++] = value;
				index++;
				// The rest of a row of usual literals, each after a comma and at most one
				// space, without the checks above: they hold as they did for this one. At
				// anything else the loop above takes over where this stopped.
				int row = (dims[depth] != 0) ? dims[depth] : Integer.MAX_VALUE;
				while (index < row && size < values.length && in.limit - in.pos >= ShortNumbers.LOOKAHEAD + 2) {
					int comma = in.pos;
					byte[] buffer = in.buffer;
					if (buffer[comma] != ',') {
						break;
					}
					in.pos = comma + ((buffer[comma + 1] == ' ') ? 2 : 1);
					double next = ShortNumbers.read(in);
					if (next != next) {
						in.pos = comma;
						break;
					}
					values[size++] = next;
					index++;
				}
				count[depth] = index;
				afterComma = afterValue();
				continue;
			}
			if (c == '[') {
				checkNotLonger(depth);
				if (rank != -1 && depth >= rank) {
					throw new InvalidInputException(pointer(depth + 1),
							"Expected " + element() + ", found an array: the tensor has rank " + rank
									+ " so arrays may nest only " + rank + " deep.",
							"ragged");
				}
				if (depth >= Tensor.MAX_RANK) {
					throw new InvalidInputException(pointer(depth + 1),
							"Too many dimensions: a tensor may have at most " + Tensor.MAX_RANK + ".", "rank");
				}
				in.pos++;
				this.depth = ++depth;
				count[depth] = 0;
				afterComma = false;
				continue;
			}
			if (c == '}' && !afterComma) {
				throw in.mismatchedClose("Array", pointer(depth));
			}
			if (c < 0 && !afterComma) {
				throw in.endOfInput(": expected close marker for Array", pointer(depth));
			}
			String found = describeOther(true);
			checkNotLonger(depth);
			if (this.booleans && found.equals("a boolean")) {
				if (rank != depth) {
					if (rank != -1) {
						throw new InvalidInputException(pointer(depth + 1),
								"Expected an array, found true or false: the tensor has rank " + rank + ".", "ragged");
					}
					rank = depth;
				}
				if (size == values.length) {
					if (blocks.atLimit(values)) {
						throw tooLarge();
					}
					values = blocks.next(values);
					size = 0;
				}
				values[size++] = (c == 't') ? 1 : 0;
				count[depth]++;
				afterComma = afterValue();
				continue;
			}
			throw new InvalidInputException(pointer(depth + 1), "Expected " + element() + ", found " + found + ".",
					"wrong-type");
		}
		int[] shape = Arrays.copyOfRange(dims, 1, rank + 1);
		return Tensor.ofOwnedValues(shape, blocks.toArray(values, size));
	}

	/**
	 * After a value: skips whitespace and a comma, failing on anything but a comma or a
	 * closing bracket.
	 * @return whether a comma was read
	 */
	private boolean afterValue() {
		JsonInput in = this.in;
		int c = (in.pos < in.limit && in.buffer[in.pos] > ' ') ? in.buffer[in.pos] : in.skipWhitespace();
		if (c == ',') {
			// Most writers put one space after a comma: skip it here.
			int next = ++in.pos;
			if (next < in.limit && in.buffer[next] == ' ') {
				in.pos = next + 1;
			}
			return true;
		}
		if (c == ']') {
			return false;
		}
		if (c < 0) {
			throw in.endOfInput(": expected close marker for Array", pointerToLast());
		}
		if (c == '}') {
			throw in.mismatchedClose("Array", pointerToLast());
		}
		throw in.unexpected("", pointer(this.depth + 1));
	}

	private void checkNotLonger(int depth) {
		int index = this.count[depth];
		if (this.dims[depth] != 0 && index >= this.dims[depth]) {
			throw raggedRow(depth, index + 1, this.dims[depth]);
		}
	}

	/**
	 * What a value that is neither a number nor an array is, as a phrase; fails on
	 * anything that is not a JSON value at all.
	 */
	private String describeOther(boolean inArray) {
		String pointer = inArray ? pointer(this.depth + 1) : this.root;
		int c = this.in.peek();
		switch (c) {
			case '"':
				return "a string";
			case '{':
				return "an object";
			case 't':
				JsonTokens.keyword(this.in, "true", 1, pointer);
				return "a boolean";
			case 'f':
				JsonTokens.keyword(this.in, "false", 1, pointer);
				return "a boolean";
			case 'n':
				JsonTokens.keyword(this.in, "null", 1, pointer);
				return "null";
			default:
				throw JsonTokens.notAValue(this.in, inArray, pointer);
		}
	}

	private String element() {
		return this.booleans ? "true or false" : "a number";
	}

	private static boolean isNumberStart(int c) {
		return c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I' || c == '+';
	}

	/**
	 * Refuses NaN everywhere and the tokens {@code -INF}, {@code +INF} and
	 * {@code +Infinity}, which Jackson reads as numbers.
	 */
	private void checkToken(double value, String pointer) {
		if (this.numbers.token != JsonNumbers.LITERAL) {
			throw new InvalidInputException(pointer, message(value),
					(this.numbers.token == JsonNumbers.NAN) ? "nan" : "non-standard-number");
		}
	}

	private String message(double value) {
		return (this.numbers.token == JsonNumbers.NAN) ? "NaN is not allowed; send a number."
				: "'" + this.numbers.nonStandard
						+ "' is not a number; the only non-finite tokens read are Infinity and -Infinity.";
	}

	private InvalidInputException tooLarge() {
		return new InputTooLargeException(this.root,
				"The tensor has more than " + this.maxElements + " elements, the limit; send a smaller tensor.");
	}

	private InvalidInputException raggedRow(int depth, int length, int expected) {
		String has = (length > expected) ? "more than " + expected : Integer.toString(length);
		return new InvalidInputException(pointer(depth), "This array has " + has
				+ " elements but the first array at its depth has " + expected + "; a tensor must be rectangular.",
				"ragged");
	}

	/**
	 * The pointer of the item at {@code depth}: the indexes of the items open at depths 1
	 * to {@code depth - 1}, then the index the array at {@code depth - 1} is at.
	 */
	private String pointer(int depth) {
		StringBuilder pointer = new StringBuilder(this.root);
		for (int d = 1; d < depth; d++) {
			pointer.append('/').append(this.count[d]);
		}
		return pointer.toString();
	}

	/** The pointer of the last item read in the array open at the current depth. */
	private String pointerToLast() {
		return pointer(this.depth) + "/" + (this.count[this.depth] - 1);
	}

}
