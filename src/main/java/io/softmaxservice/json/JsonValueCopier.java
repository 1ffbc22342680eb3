package io.softmaxservice.json;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks one JSON value of any kind (the request's fields that are not tensors, and
 * unknown ones) against the strict grammar and copies its bytes, so that Jackson can bind
 * it on its own. Errors are worded and placed as Jackson's; nesting deeper than Jackson's
 * limit (500, the request object included) is refused as Jackson refuses it.
 */
final class JsonValueCopier {

	static final int MAX_DEPTH = 500;

	/** Room for this many levels at first, grown on need: most values nest little. */
	private static final int INITIAL_DEPTH = 8;

	private final JsonInput in;

	private final JsonNumbers numbers = new JsonNumbers();

	/** The names read so far in each open object, to refuse duplicates. */
	private Object[] path = new Object[INITIAL_DEPTH];

	private boolean[] inArray = new boolean[INITIAL_DEPTH];

	private String[] currentNames = new String[INITIAL_DEPTH];

	private int[] indexes = new int[INITIAL_DEPTH];

	private String root = "";

	private int depth;

	JsonValueCopier(JsonInput in) {
		this.in = in;
	}

	/**
	 * Copies the value at the input's next byte.
	 * @param out where its bytes go
	 * @param pointer the member's pointer, for errors
	 */
	void copy(ByteArrayOutputStream out, String pointer) {
		this.root = pointer;
		this.depth = 0;
		value(out);
		while (this.depth > 0) {
			int c = this.in.skipWhitespace();
			boolean array = this.inArray[this.depth];
			if (c == ',') {
				take(out, 1);
				if (array) {
					this.indexes[this.depth]++;
					this.in.skipWhitespace();
					value(out);
				}
				else if (this.in.skipWhitespace() < 0) {
					throw this.in.endOfInput(" within/between Object entries", pointer());
				}
				else {
					member(out);
				}
			}
			else if (c == (array ? ']' : '}')) {
				take(out, 1);
				this.depth--;
			}
			else if (c < 0) {
				throw this.in.endOfInput(": expected close marker for " + (array ? "Array" : "Object"), pointer());
			}
			else if (c == ']' || c == '}') {
				throw this.in.mismatchedClose(array ? "Array" : "Object", pointer());
			}
			else {
				if (array) {
					// Jackson counts the element it expected a comma before.
					this.indexes[this.depth]++;
				}
				throw this.in.unexpected("", pointer());
			}
		}
	}

	/**
	 * One value; an array or object is opened and left for the loop in copy to finish.
	 */
	private void value(ByteArrayOutputStream out) {
		JsonInput in = this.in;
		int c = in.skipWhitespace();
		switch (c) {
			case '"' -> JsonStrings.read(in, out, false, pointer());
			case '[' -> {
				open(out, true);
				int next = in.skipWhitespace();
				if (next == ']') {
					take(out, 1);
					this.depth--;
				}
				else if (next == '}') {
					throw in.mismatchedClose("Array", pointer());
				}
				else {
					this.indexes[this.depth] = 0;
					value(out);
				}
			}
			case '{' -> {
				open(out, false);
				if (in.skipWhitespace() == '}') {
					take(out, 1);
					this.depth--;
				}
				else {
					member(out);
				}
			}
			case 't' -> keyword(out, "true");
			case 'f' -> keyword(out, "false");
			case 'n' -> keyword(out, "null");
			default -> {
				if (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') {
					number(out);
				}
				else {
					throw JsonTokens.notAValue(in, this.depth > 0 && this.inArray[this.depth], pointer());
				}
			}
		}
	}

	private void member(ByteArrayOutputStream out) {
		JsonInput in = this.in;
		int c = in.skipWhitespace();
		if (c == ']') {
			throw in.mismatchedClose("Object", pointer());
		}
		if (c != '"') {
			if (c < 0) {
				throw in.endOfInput(": expected close marker for Object", pointer());
			}
			throw in.unexpected("", pointer());
		}
		String name = JsonStrings.read(in, out, true, pointer());
		@SuppressWarnings("unchecked")
		Set<String> names = (Set<String>) this.path[this.depth];
		this.currentNames[this.depth] = name;
		if (!names.add(name)) {
			throw in.errorHere("Duplicate Object property \"" + name + "\"", pointer());
		}
		c = in.skipWhitespace();
		if (c != ':') {
			if (c < 0) {
				throw in.endOfInput(" within/between Object entries", pointer());
			}
			throw in.unexpected("", pointer());
		}
		take(out, 1);
		if (in.skipWhitespace() < 0) {
			throw in.endOfInput(" within/between Object entries", pointer());
		}
		value(out);
	}

	private void open(ByteArrayOutputStream out, boolean array) {
		if (this.depth + 2 > MAX_DEPTH) {
			throw new JsonSyntaxException("", "The request body is not valid JSON: Document nesting depth ("
					+ (MAX_DEPTH + 1) + ") exceeds the maximum allowed (" + MAX_DEPTH + ").", "parser-limit");
		}
		take(out, 1);
		this.depth++;
		if (this.depth == this.indexes.length) {
			int length = Math.min(2 * this.depth, MAX_DEPTH + 1);
			this.path = Arrays.copyOf(this.path, length);
			this.inArray = Arrays.copyOf(this.inArray, length);
			this.currentNames = Arrays.copyOf(this.currentNames, length);
			this.indexes = Arrays.copyOf(this.indexes, length);
		}
		this.inArray[this.depth] = array;
		this.indexes[this.depth] = -1;
		this.currentNames[this.depth] = null;
		this.path[this.depth] = array ? null : new HashSet<String>();
	}

	private void keyword(ByteArrayOutputStream out, String word) {
		JsonTokens.keyword(this.in, word, 1, pointer());
		out.write(this.in.buffer, this.in.pos - word.length(), word.length());
	}

	private void number(ByteArrayOutputStream out) {
		JsonInput in = this.in;
		long start = in.offset(in.pos);
		this.numbers.read(in, this::pointer);
		int length = (int) (in.offset(in.pos) - start);
		out.write(in.buffer, in.pos - length, length);
	}

	private void take(ByteArrayOutputStream out, int n) {
		out.write(this.in.buffer, this.in.pos, n);
		this.in.pos += n;
	}

	/** Jackson's pointer for where the copy is: the member, then each open level. */
	String pointer() {
		StringBuilder pointer = new StringBuilder(this.root);
		for (int d = 1; d <= this.depth; d++) {
			if (this.inArray[d]) {
				if (this.indexes[d] >= 0) {
					pointer.append('/').append(this.indexes[d]);
				}
			}
			else if (this.currentNames[d] != null) {
				pointer.append('/').append(escape(this.currentNames[d]));
			}
		}
		return pointer.toString();
	}

	static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

}
