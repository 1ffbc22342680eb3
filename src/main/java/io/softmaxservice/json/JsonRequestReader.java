package io.softmaxservice.json;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

/**
 * Reads a request body (one JSON object) into an endpoint's request record in one pass
 * over its bytes, read in chunks: tensor members are scanned straight into their arrays
 * by {@link TensorScanner}; every other member is checked and copied by
 * {@link JsonValueCopier} and bound by the application's Jackson mapper on its own, so
 * that its rules and messages stay Jackson's. Errors come in the order Jackson's would: a
 * syntax error or a member's error where it is met, an unknown member once the object is
 * read, then anything after the object.
 */
final class JsonRequestReader {

	private static final int[] UTF8_BOM = { 0xEF, 0xBB, 0xBF };

	private final JsonMapper mapper;

	private final int maxElements;

	private final LongConsumer beforeGrowing;

	private final IntFunction<double[]> arrays;

	JsonRequestReader(JsonMapper mapper, int maxElements) {
		this(mapper, maxElements, (bytes) -> {
		}, double[]::new);
	}

	/**
	 * Creates a reader that says how much memory a large body's tensors are about to take
	 * ({@link ValueBlocks#ValueBlocks(int, LongConsumer, IntFunction)}) and takes its
	 * tensors' arrays from elsewhere.
	 * @param mapper the mapper of the other fields
	 * @param maxElements the element limit
	 * @param beforeGrowing told the bytes of doubles the tensors are about to hold; it
	 * may wait, or throw to refuse the request
	 * @param arrays gives a tensor's array of a length (its elements are all written
	 * before they are read), such as {@link io.softmaxservice.tensor.LargeArrays#take}
	 */
	JsonRequestReader(JsonMapper mapper, int maxElements, LongConsumer beforeGrowing, IntFunction<double[]> arrays) {
		this.mapper = mapper;
		this.maxElements = maxElements;
		this.beforeGrowing = beforeGrowing;
		this.arrays = arrays;
	}

	/**
	 * Reads a request body.
	 * @param record the request record type
	 * @param body the body
	 * @param length the body's length in bytes ({@code Content-Length}), or -1 if unknown
	 * @return the record, or null if the body is empty or {@code null}
	 */
	@Nullable Object read(RequestRecord record, InputStream body, long length) {
		JsonInput in = new JsonInput(body, length);
		if (in.at(0) == UTF8_BOM[0] && in.at(1) == UTF8_BOM[1] && in.at(2) == UTF8_BOM[2]) {
			in.pos += 3;
		}
		if (in.peek() < 0) {
			return null;
		}
		int c = in.skipWhitespace();
		if (c != '{') {
			return notAnObject(in, record);
		}
		in.pos++;
		@Nullable Object[] values = new Object[record.size()];
		TensorScanner tensors = new TensorScanner(in, this.maxElements, this.beforeGrowing, this.arrays);
		JsonValueCopier copier = new JsonValueCopier(in);
		Set<String> names = new HashSet<>();
		String pointer = "";
		byte[] unknown = null;
		c = in.skipWhitespace();
		if (c == '}') {
			in.pos++;
		}
		while (c != '}') {
			if (c == ']') {
				throw in.mismatchedClose("Object", pointer);
			}
			if (c != '"') {
				throw (c < 0) ? in.endOfInput(": expected close marker for Object", pointer)
						: in.unexpected("", pointer);
			}
			ByteArrayOutputStream member = new ByteArrayOutputStream(64);
			member.write('{');
			String name = JsonStrings.read(in, member, true, pointer);
			pointer = "/" + JsonValueCopier.escape(name);
			if (!names.add(name)) {
				throw in.errorHere("Duplicate Object property \"" + name + "\"", pointer);
			}
			c = in.skipWhitespace();
			if (c != ':') {
				throw (c < 0) ? in.endOfInput(" within/between Object entries", pointer) : in.unexpected("", pointer);
			}
			in.pos++;
			c = in.skipWhitespace();
			if (c < 0) {
				throw in.endOfInput(" within/between Object entries", pointer);
			}
			int index = record.index(name);
			if (index >= 0 && record.isTensor(index) && c != 'n') {
				values[index] = tensors.read(pointer);
			}
			else if (index >= 0 && record.isMask(index) && c != 'n') {
				values[index] = tensors.readMask(pointer);
			}
			else {
				member.write(':');
				byte[] prefix = member.toByteArray();
				try {
					copier.copy(member, pointer);
				}
				catch (JsonSyntaxException ex) {
					throw (c == '"' && index >= 0) ? typeErrorOr(ex, record, prefix) : ex;
				}
				member.write('}');
				if (index >= 0) {
					values[index] = bind(record, index, member.toByteArray());
				}
				else if (unknown == null) {
					unknown = member.toByteArray();
				}
			}
			c = in.skipWhitespace();
			if (c == ',') {
				in.pos++;
				c = in.skipWhitespace();
				if (c == '}') {
					throw in.unexpected("", pointer);
				}
				if (c < 0) {
					throw in.endOfInput(" within/between Object entries", pointer);
				}
				if (c == ']') {
					throw in.unexpected("", pointer);
				}
			}
			else if (c == '}') {
				in.pos++;
			}
			else if (c == ']') {
				throw in.mismatchedClose("Object", pointer);
			}
			else {
				throw (c < 0) ? in.endOfInput(": expected close marker for Object", pointer)
						: in.unexpected("", pointer);
			}
		}
		if (unknown != null) {
			this.mapper.readValue(unknown, record.type());
		}
		checkNothingAfter(in, record);
		return record.create(values);
	}

	/** Binds one member on its own, as Jackson would within the whole object. */
	private @Nullable Object bind(RequestRecord record, int index, byte[] member) {
		return record.component(this.mapper.readValue(member, record.type()), index);
	}

	/**
	 * The error a member's binding fails with whatever its string is, if there is one:
	 * Jackson reads a string's text only when the field's reader asks for it, so a reader
	 * that refuses any string fails before a malformed string is noticed.
	 */
	private RuntimeException typeErrorOr(JsonSyntaxException syntax, RequestRecord record, byte[] prefix) {
		RuntimeException empty = bindFailure(record, prefix, "\"\"}");
		RuntimeException other = bindFailure(record, prefix, "\"x\"}");
		boolean same = empty != null && other != null && empty.getClass() == other.getClass()
				&& String.valueOf(empty.getMessage()).equals(other.getMessage());
		return same ? empty : syntax;
	}

	private @Nullable RuntimeException bindFailure(RequestRecord record, byte[] prefix, String value) {
		byte[] member = Arrays.copyOf(prefix, prefix.length + value.length());
		System.arraycopy(value.getBytes(StandardCharsets.US_ASCII), 0, member, prefix.length, value.length());
		try {
			this.mapper.readValue(member, record.type());
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	/** A body that is not an object: {@code null}, another value, or not JSON. */
	private @Nullable Object notAnObject(JsonInput in, RequestRecord record) {
		int c = in.peek();
		if (c < 0) {
			throw MismatchedInputException.from((JsonParser) null, record.type(),
					"No content to map due to end-of-input");
		}
		if (c == 'n') {
			JsonTokens.keyword(in, "null", 1, "");
			checkNothingAfter(in, record);
			return null;
		}
		if (c == '"') {
			// Jackson reads the string, to try to make the record of it.
			JsonStrings.read(in, null, false, "");
		}
		else {
			checkValue(in);
		}
		throw MismatchedInputException.from((JsonParser) null, record.type(),
				"Cannot deserialize " + record.type().getSimpleName() + " from a value that is not an object");
	}

	/**
	 * Refuses anything but whitespace after the object: another value as Jackson's
	 * trailing-token check does, anything else as a syntax error.
	 */
	private void checkNothingAfter(JsonInput in, RequestRecord record) {
		int c = in.skipWhitespace();
		if (c < 0) {
			return;
		}
		checkValue(in);
		throw MismatchedInputException.from((JsonParser) null, record.type(),
				"Trailing token (of type " + c + ") found after value");
	}

	/** Fails unless a JSON value starts at the next byte. */
	private static void checkValue(JsonInput in) {
		int c = in.peek();
		switch (c) {
			case '{', '[', '"' -> {
			}
			case '}', ']' -> throw in.errorHere("Unexpected close marker '" + (char) c + "': no open "
					+ ((c == '}') ? "Object" : "Array") + " to close", "");
			case 't' -> JsonTokens.keyword(in, "true", 1, "");
			case 'f' -> JsonTokens.keyword(in, "false", 1, "");
			case 'n' -> JsonTokens.keyword(in, "null", 1, "");
			default -> {
				if (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') {
					new JsonNumbers().read(in, () -> "");
					int next = in.peek();
					if (next >= 0 && next != ' ' && next != '\t' && next != '\n' && next != '\r') {
						throw in.unexpected(": Expected space separating root-level values", "");
					}
				}
				else {
					throw JsonTokens.notAValue(in, false, "");
				}
			}
		}
	}

}
