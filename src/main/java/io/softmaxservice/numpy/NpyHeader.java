package io.softmaxservice.numpy;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.softmaxservice.tensor.InvalidInputException;

/**
 * The header of a {@code .npy} array: its element type, memory order and shape, parsed
 * from the Python dict literal NumPy writes ({@code {'descr': '<f8', 'fortran_order':
 * False, 'shape': (3, 4), }}). Only that literal's grammar is read (strings, booleans, a
 * tuple of whole numbers): nothing is evaluated, and a list {@code descr} (a structured
 * type) or any other key is refused.
 *
 * @param type the element type
 * @param fortranOrder whether the values are stored column-major
 * @param shape the dimensions, outermost first; empty for a 0-d array
 */
record NpyHeader(ElementType type, boolean fortranOrder, long[] shape) {

	/**
	 * Parses a header.
	 * @param text the dict literal
	 * @param pointer the member's pointer, for errors
	 * @return the header
	 */
	static NpyHeader parse(String text, String pointer) {
		Map<String, Object> entries = new Literal(text, pointer).dict();
		if (!entries.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
			throw invalid(pointer, "its header must have exactly the keys descr, fortran_order and shape");
		}
		if (!(entries.get("descr") instanceof String descr)) {
			throw structured(pointer);
		}
		if (!(entries.get("fortran_order") instanceof Boolean fortran)) {
			throw invalid(pointer, "fortran_order must be True or False");
		}
		if (!(entries.get("shape") instanceof long[] shape)) {
			throw invalid(pointer, "its shape must be a tuple of whole numbers");
		}
		return new NpyHeader(ElementType.of(descr, pointer), fortran, shape);
	}

	private static InvalidInputException structured(String pointer) {
		return new InvalidInputException(pointer,
				"The array has a structured dtype, which is never read; send a "
						+ "plain array of float16, float32 or float64 numbers (integers for target, bool for mask).",
				"wrong-type");
	}

	static InvalidInputException invalid(String pointer, String reason) {
		return new InvalidInputException(pointer,
				"This is not a valid .npy array: " + reason + "; write it with numpy.save or numpy.savez.",
				"malformed-npy");
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NpyHeader header && this.type.equals(header.type)
				&& this.fortranOrder == header.fortranOrder && Arrays.equals(this.shape, header.shape);
	}

	@Override
	public int hashCode() {
		return this.type.hashCode() * 31 + Arrays.hashCode(this.shape);
	}

	/**
	 * An element type from a {@code descr} such as {@code <f8}, {@code >i4} or
	 * {@code |b1}.
	 *
	 * @param kind floating point, signed or unsigned integer, or bool
	 * @param size bytes per element
	 * @param order the byte order
	 */
	record ElementType(Kind kind, int size, ByteOrder order) {

		static ElementType of(String descr, String pointer) {
			if (descr.length() >= 3) {
				char byteOrder = descr.charAt(0);
				char code = descr.charAt(1);
				String digits = descr.substring(2);
				ByteOrder order = (byteOrder == '>') ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
				boolean known = byteOrder == '<' || byteOrder == '>' || byteOrder == '|' || byteOrder == '=';
				Kind kind = switch (code) {
					case 'f' -> Kind.FLOAT;
					case 'i' -> Kind.SIGNED;
					case 'u' -> Kind.UNSIGNED;
					case 'b' -> Kind.BOOL;
					default -> null;
				};
				int size = switch (digits) {
					case "1" -> 1;
					case "2" -> 2;
					case "4" -> 4;
					case "8" -> 8;
					default -> 0;
				};
				boolean fits = (kind == Kind.FLOAT) ? size >= 2 : (kind != Kind.BOOL || size == 1);
				if (known && kind != null && size != 0 && fits) {
					return new ElementType(kind, size, order);
				}
			}
			throw new InvalidInputException(pointer,
					"The array's dtype '" + descr + "' is " + describe(descr)
							+ ", which is never read; send float16, float32 or float64 numbers "
							+ "(integers for target, bool for mask).",
					"wrong-type");
		}

		private static String describe(String descr) {
			String code = descr.replaceAll("^[<>|=]", "");
			if (code.startsWith("O")) {
				return "an object (pickled) array";
			}
			if (code.startsWith("c")) {
				return "complex";
			}
			if (code.startsWith("U") || code.startsWith("S") || code.startsWith("a")) {
				return "a string type";
			}
			if (code.startsWith("V")) {
				return "a structured or void type";
			}
			return "not supported";
		}

		/** How NumPy names this type, e.g. {@code float32} or {@code uint8}. */
		String numpyName() {
			return switch (this.kind) {
				case FLOAT -> "float" + 8 * this.size;
				case SIGNED -> "int" + 8 * this.size;
				case UNSIGNED -> "uint" + 8 * this.size;
				case BOOL -> "bool";
			};
		}

	}

	/** The kinds of element the service reads. */
	enum Kind {

		/** float16, float32, float64. */
		FLOAT,

		/** int8 to int64. */
		SIGNED,

		/** uint8 to uint64. */
		UNSIGNED,

		/** bool. */
		BOOL

	}

	/**
	 * A reader for the Python literal subset NumPy's headers use.
	 */
	private static final class Literal {

		private final String text;

		private final String pointer;

		private int at;

		Literal(String text, String pointer) {
			this.text = text;
			this.pointer = pointer;
		}

		Map<String, Object> dict() {
			expect('{');
			Map<String, Object> entries = new HashMap<>();
			while (peek() != '}') {
				String key = string();
				expect(':');
				if (entries.put(key, value()) != null) {
					throw invalid(this.pointer, "its header repeats the key '" + key + "'");
				}
				if (peek() != ',') {
					break;
				}
				this.at++;
			}
			expect('}');
			if (peek() != 0) {
				throw invalid(this.pointer, "its header has text after the dict");
			}
			return entries;
		}

		private Object value() {
			char c = peek();
			if (c == '\'' || c == '"') {
				return string();
			}
			if (c == '(') {
				return tuple();
			}
			if (c == '[') {
				throw structured(this.pointer);
			}
			if (this.text.startsWith("True", this.at)) {
				this.at += 4;
				return Boolean.TRUE;
			}
			if (this.text.startsWith("False", this.at)) {
				this.at += 5;
				return Boolean.FALSE;
			}
			throw invalid(this.pointer, "its header holds a value that is not a string, a boolean or a tuple");
		}

		private long[] tuple() {
			expect('(');
			long[] dims = new long[0];
			while (peek() != ')') {
				int start = this.at;
				while (this.at < this.text.length() && Character.isDigit(this.text.charAt(this.at))) {
					this.at++;
				}
				if (start == this.at || this.at - start > 18) {
					throw invalid(this.pointer, "its shape must be a tuple of whole numbers");
				}
				dims = Arrays.copyOf(dims, dims.length + 1);
				dims[dims.length - 1] = Long.parseLong(this.text.substring(start, this.at));
				if (this.at < this.text.length() && this.text.charAt(this.at) == 'L') {
					this.at++;
				}
				if (peek() != ',') {
					break;
				}
				this.at++;
			}
			expect(')');
			return dims;
		}

		private String string() {
			char quote = peek();
			if (quote != '\'' && quote != '"') {
				throw invalid(this.pointer, "its header's keys must be strings");
			}
			int end = this.text.indexOf(quote, this.at + 1);
			if (end < 0 || this.text.lastIndexOf('\\', end) > this.at) {
				throw invalid(this.pointer, "its header has a malformed string");
			}
			String value = this.text.substring(this.at + 1, end);
			this.at = end + 1;
			return value;
		}

		private void expect(char c) {
			if (peek() != c) {
				throw invalid(this.pointer, "its header is not the dict NumPy writes");
			}
			this.at++;
		}

		/** The next character that is not white space, or 0 at the end. */
		private char peek() {
			while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
				this.at++;
			}
			return (this.at < this.text.length()) ? this.text.charAt(this.at) : 0;
		}

	}

}
