package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import io.softmaxservice.inference.InferenceRequest.Input;
import io.softmaxservice.inference.InferenceRequest.Output;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a protocol request: its JSON object (with the application's strict JSON
 * settings), then the binary tensor data that follows it, in the order of the inputs that
 * declare a {@code binary_data_size}. Tensors are checked for what the protocol itself
 * requires (a known datatype, a shape of at most 8 dimensions of length 1 or more within
 * the element limit, data matching the shape); every rule of the computation is left to
 * the endpoint's validator. Errors carry the pointer the JSON endpoints would use
 * ({@code /logits/3/7}, {@code /axis}), or the whole body's.
 */
class InferenceRequestParser {

	private static final Set<String> INPUT_PARAMETERS = Set.of(InferenceProtocol.BINARY_DATA_SIZE,
			InferenceProtocol.CONTENT_TYPE);

	private final JsonMapper mapper;

	private final ObjectReader parameters;

	private final int maxElements;

	private final LongConsumer beforeDecoding;

	/**
	 * @param mapper reads the JSON
	 * @param maxElements the most elements a tensor may have
	 * @param beforeDecoding told the bytes a request's values are about to take in all
	 * beyond its body, from a mebibyte on (see {@link DecodedMemory})
	 */
	InferenceRequestParser(JsonMapper mapper, int maxElements, LongConsumer beforeDecoding) {
		this.mapper = mapper;
		this.parameters = mapper.reader()
			.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.maxElements = maxElements;
		this.beforeDecoding = beforeDecoding;
	}

	/**
	 * Reads a request body.
	 * @param body the whole body
	 * @param headerLength the length of its JSON object, the rest being binary data
	 * @return the request
	 */
	InferenceRequest parse(byte[] body, int headerLength) {
		RequestBuilder request = new RequestBuilder();
		DecodedMemory memory = new DecodedMemory(this.beforeDecoding);
		try (JsonParser parser = this.mapper.createParser(body, 0, headerLength)) {
			expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "", "the request must be a JSON object");
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (field) {
					case "id" -> request.id = string(parser, value, "id");
					case "model_name" -> request.modelName = string(parser, value, "model_name");
					case "model_version" -> string(parser, value, "model_version");
					case "parameters" -> request.parameters = parameters(parser, "parameters");
					case "inputs" -> {
						expect(parser, value, JsonToken.START_ARRAY, "", "'inputs' must be an array of tensors");
						while (parser.nextToken() != JsonToken.END_ARRAY) {
							request.inputs.add(input(parser, request.inputs.size(), memory));
						}
					}
					case "outputs" -> {
						expect(parser, value, JsonToken.START_ARRAY, "", "'outputs' must be an array");
						while (parser.nextToken() != JsonToken.END_ARRAY) {
							request.outputs.add(output(parser, request.outputs.size()));
						}
					}
					default -> throw new InvalidInputException("",
							"Unknown field '" + field
									+ "'; an inference request has id, parameters, inputs and outputs.",
							"unknown-field");
				}
			}
			if (parser.nextToken() != null) {
				throw new InvalidInputException("",
						"The inference request must be a single JSON object with "
								+ "nothing after it; set Inference-Header-Content-Length when binary data follows it.",
						"malformed-json");
			}
		}
		return request.build(body, headerLength);
	}

	private InputBuilder input(JsonParser parser, int index, DecodedMemory memory) {
		String where = "inputs[" + index + "]";
		expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "", where + " must be a JSON object");
		InputBuilder input = new InputBuilder(where, memory);
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (field) {
				case "name" -> input.name = string(parser, value, where + ".name");
				case "datatype" -> input.datatype = string(parser, value, where + ".datatype");
				case "shape" -> input.shape = shape(parser, where);
				case "parameters" -> input.parameters = parameters(parser, where + ".parameters");
				case "data" -> input.data = data(parser, memory);
				default -> throw new InvalidInputException("", "Unknown field '" + field + "' in " + where
						+ "; a tensor has name, shape, datatype, parameters and data.", "unknown-field");
			}
		}
		return input;
	}

	private Output output(JsonParser parser, int index) {
		String where = "outputs[" + index + "]";
		expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "", where + " must be a JSON object");
		String name = null;
		Boolean binary = null;
		Integer classification = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			if (field.equals("name")) {
				name = string(parser, value, where + ".name");
			}
			else if (field.equals("parameters")) {
				ObjectNode parameters = parameters(parser, where + ".parameters");
				for (String key : parameters.propertyNames()) {
					JsonNode node = parameters.get(key);
					if (key.equals(InferenceProtocol.BINARY_DATA) && node.isBoolean()) {
						binary = node.booleanValue();
					}
					else if (key.equals(InferenceProtocol.CLASSIFICATION) && node.isIntegralNumber()
							&& node.canConvertToInt() && node.intValue() >= 1) {
						classification = node.intValue();
					}
					else {
						throw new InvalidInputException("",
								"The parameter '" + key + "' of " + where
										+ " is not allowed here; an output takes binary_data (true or false) and "
										+ "classification (a whole number of classes, 1 or more).",
								"not-allowed");
					}
				}
			}
			else {
				throw new InvalidInputException("",
						"Unknown field '" + field + "' in " + where + "; a requested output has name and parameters.",
						"unknown-field");
			}
		}
		if (name == null) {
			throw new InvalidInputException("", where + " has no name; name the output to return.", "required");
		}
		return new Output(name, binary, classification);
	}

	private int[] shape(JsonParser parser, String where) {
		expect(parser, parser.currentToken(), JsonToken.START_ARRAY, "",
				where + ".shape must be an array of whole numbers");
		int[] shape = new int[Tensor.MAX_RANK];
		int rank = 0;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
				throw new InvalidInputException("", where + ".shape must be an array of whole numbers.", "wrong-type");
			}
			if (rank == Tensor.MAX_RANK) {
				throw new InvalidInputException("",
						where + ".shape has more than " + Tensor.MAX_RANK + " dimensions, the most a tensor may have.",
						"rank");
			}
			long dim = parser.getLongValue();
			if (dim < 1) {
				throw new InvalidInputException("", where + ".shape has a dimension of " + dim
						+ "; every dimension of a tensor must have length 1 or more.", "empty");
			}
			if (dim > this.maxElements) {
				throw new InputTooLargeException("", where + ".shape has a dimension of " + dim
						+ ", more than the limit of " + this.maxElements + " elements; send a smaller tensor.");
			}
			shape[rank++] = (int) dim;
		}
		return Arrays.copyOf(shape, rank);
	}

	/**
	 * Reads {@code data}: nested or flat arrays (or one value) of numbers or booleans,
	 * flattened in row-major order. A value of the wrong kind is remembered, and reported
	 * at its element once the input's name and shape are known.
	 */
	private Data data(JsonParser parser, DecodedMemory memory) {
		Data data = new Data(memory);
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			data.add(parser, this.maxElements);
			return data;
		}
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == JsonToken.START_ARRAY) {
				depth++;
			}
			else if (token == JsonToken.END_ARRAY) {
				depth--;
			}
			else {
				data.add(parser, this.maxElements);
			}
		}
		return data;
	}

	private ObjectNode parameters(JsonParser parser, String where) {
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			throw new InvalidInputException("",
					"'" + where + "' must be a JSON object of names and values (strings, numbers, booleans).",
					"wrong-type");
		}
		return (ObjectNode) this.parameters.readTree(parser);
	}

	private static String string(JsonParser parser, JsonToken token, String where) {
		if (token != JsonToken.VALUE_STRING) {
			throw new InvalidInputException("", "'" + where + "' must be a string.", "wrong-type");
		}
		return parser.getString();
	}

	private static void expect(JsonParser parser, @Nullable JsonToken token, JsonToken expected, String pointer,
			String rule) {
		if (token != expected) {
			throw new InvalidInputException(pointer, "Malformed inference request: " + rule + ".", "wrong-type");
		}
	}

	/**
	 * The values of {@code data}, as doubles, with the first value of each wrong kind.
	 */
	private static final class Data {

		private static final int FIRST_LENGTH = 256;

		private final DecodedMemory memory;

		private double[] values;

		private int size;

		private int firstBoolean = -1;

		private int firstNumber = -1;

		private int firstOther = -1;

		private int firstNaN = -1;

		private int firstNonStandard = -1;

		private @Nullable String nonStandard;

		Data(DecodedMemory memory) {
			this.memory = memory;
			memory.allocate(FIRST_LENGTH * 8L, 0);
			this.values = new double[FIRST_LENGTH];
		}

		void add(JsonParser parser, int maxElements) {
			if (this.size == maxElements) {
				throw new InputTooLargeException("",
						"A tensor's data has more than " + maxElements + " values, the limit; send a smaller tensor.");
			}
			if (this.size == this.values.length) {
				int length = (int) Math.min(2L * this.size, maxElements);
				this.memory.allocate(length * 8L, this.size * 8L);
				this.values = Arrays.copyOf(this.values, length);
			}
			JsonToken token = parser.currentToken();
			double value = 0;
			if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
				value = (token == JsonToken.VALUE_TRUE) ? 1 : 0;
				this.firstBoolean = (this.firstBoolean < 0) ? this.size : this.firstBoolean;
			}
			else if (token.isNumeric()) {
				value = parser.getDoubleValue();
				this.firstNumber = (this.firstNumber < 0) ? this.size : this.firstNumber;
				if (Double.isNaN(value)) {
					this.firstNaN = (this.firstNaN < 0) ? this.size : this.firstNaN;
				}
				else if (Double.isInfinite(value) && this.firstNonStandard < 0
						&& !literalOrInfinity(parser.getString())) {
					this.firstNonStandard = this.size;
					this.nonStandard = parser.getString();
				}
			}
			else {
				this.firstOther = (this.firstOther < 0) ? this.size : this.firstOther;
			}
			this.values[this.size++] = value;
		}

		/**
		 * Of the non-finite tokens, only {@code Infinity} and {@code -Infinity} are read.
		 */
		private static boolean literalOrInfinity(String text) {
			return text.equals("Infinity") || text.equals("-Infinity")
					|| Character.isDigit(text.charAt(text.startsWith("-") ? 1 : 0));
		}

	}

	private final class InputBuilder {

		private final String where;

		private final DecodedMemory memory;

		private @Nullable String name;

		private @Nullable String datatype;

		private int @Nullable [] shape;

		private @Nullable ObjectNode parameters;

		private @Nullable Data data;

		InputBuilder(String where, DecodedMemory memory) {
			this.where = where;
			this.memory = memory;
		}

		/**
		 * Checks the input and takes its values from its data or, for binary data, from
		 * the body at {@code offset}.
		 * @return the input, and the number of body bytes it took
		 */
		Input build(byte[] body, int offset, int[] taken) {
			if (this.name == null) {
				throw new InvalidInputException("", this.where + " has no name; name it as the model's input.",
						"required");
			}
			String pointer = "/" + this.name;
			Datatype type = (this.datatype != null) ? Datatype.of(this.datatype) : null;
			if (type == null || type == Datatype.BYTES) {
				throw new InvalidInputException(pointer, "The datatype "
						+ ((this.datatype != null) ? "'" + this.datatype + "' is not read; use"
								: "is missing; give one of")
						+ " FP64, FP32, FP16 (binary data only), INT8 to INT64 or UINT8 to UINT64 (targets), or BOOL (masks).",
						"unknown-value");
			}
			if (this.shape == null) {
				throw new InvalidInputException(pointer, "The shape is missing; give the tensor's dimensions.",
						"required");
			}
			long count = Tensor.elementCount(this.shape);
			if (count > InferenceRequestParser.this.maxElements) {
				throw new InputTooLargeException(pointer,
						"The tensor has "
								+ ((count < Long.MAX_VALUE) ? String.valueOf(count) : "over " + Long.MAX_VALUE)
								+ " elements, more than the limit of " + InferenceRequestParser.this.maxElements
								+ "; send a smaller tensor.");
			}
			Long binarySize = binarySize(pointer);
			taken[0] = (binarySize != null) ? binarySize.intValue() : 0;
			DType dtype = (type == Datatype.FP32 || type == Datatype.FP16) ? DType.FLOAT32 : DType.FLOAT64;
			// Binary FP32 and FP16 values are floats already; JSON numbers are rounded
			// in the parser's own array (a copy would take 8 more bytes per value).
			Tensor tensor = (binarySize != null) ? binary(body, offset, binarySize, type, dtype, (int) count, pointer)
					: new Tensor(this.shape, rounded(json(type, (int) count, pointer), dtype), dtype);
			return new Input(this.name, type, tensor);
		}

		private @Nullable Long binarySize(String pointer) {
			if (this.parameters == null) {
				return null;
			}
			for (String key : this.parameters.propertyNames()) {
				if (!INPUT_PARAMETERS.contains(key)) {
					throw new InvalidInputException(pointer, "The parameter '" + key + "' of input '" + this.name
							+ "' is not allowed; an input takes binary_data_size.", "unknown-field");
				}
			}
			JsonNode size = this.parameters.get(InferenceProtocol.BINARY_DATA_SIZE);
			if (size == null) {
				return null;
			}
			if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
				throw new InvalidInputException(pointer, "binary_data_size must be a whole number of bytes.",
						"wrong-type");
			}
			return size.longValue();
		}

		/**
		 * Binary data: FP64 and FP32 values are checked and kept as they are in the body,
		 * to be converted where they are copied into ND4J, with where their infinities
		 * are (the validator's +Infinity rule then needs no scan of its own); others are
		 * converted here.
		 */
		private Tensor binary(byte[] body, int offset, long size, Datatype type, DType dtype, int count,
				String pointer) {
			if (this.data != null) {
				throw new InvalidInputException(pointer,
						"Input '" + this.name + "' has both data and binary_data_size; send its values one way only.",
						"conflict");
			}
			long expected = (long) count * type.size();
			if (size != expected) {
				throw new InvalidInputException(pointer,
						"binary_data_size is " + size + " but " + count + " " + type + " values take " + expected
								+ " bytes; send the shape's elements, little-endian, with no padding.",
						"shape-mismatch");
			}
			if (offset + size > body.length) {
				throw new InvalidInputException(pointer,
						"The body ends " + (offset + size - body.length) + " bytes before the binary data of input '"
								+ this.name + "' does; check binary_data_size and Inference-Header-Content-Length.",
						"malformed-json");
			}
			ByteBuffer data = ByteBuffer.wrap(body, offset, (int) size).slice().order(ByteOrder.LITTLE_ENDIAN);
			boolean raw = type == Datatype.FP64 || type == Datatype.FP32;
			if (!raw) {
				this.memory.allocate(count * 8L, 0);
			}
			double[] values = raw ? null : new double[count];
			TensorBytes.NonFinite found = raw ? TensorBytes.checkFloats(data, type.size(), null) : null;
			int firstNaN = (found != null) ? found.firstNaN() : type.decode(data, values);
			if (firstNaN >= 0) {
				throw new InvalidInputException(Tensor.pointer(this.shape, pointer, firstNaN),
						"NaN is not allowed; send a number.", "nan");
			}
			return (found != null) ? Tensor.ofBytes(this.shape, data, dtype, found)
					: new Tensor(this.shape, values, dtype);
		}

		private double[] json(Datatype type, int count, String pointer) {
			if (this.data == null) {
				throw new InvalidInputException(pointer,
						"Input '" + this.name
								+ "' has no data; send its values in data, or as binary data with binary_data_size.",
						"required");
			}
			Data d = this.data;
			if (type == Datatype.FP16) {
				throw new InvalidInputException(pointer,
						"FP16 has no JSON form; send FP16 as binary data, or send the values as FP32.", "wrong-type");
			}
			if (d.size != count) {
				throw new InvalidInputException(pointer, "The data has " + d.size + " values but the shape "
						+ Arrays.toString(this.shape) + " holds " + count + "; send one value per element.",
						"shape-mismatch");
			}
			int wrong = firstOf((type == Datatype.BOOL) ? d.firstNumber : d.firstBoolean, d.firstOther);
			if (wrong >= 0) {
				throw new InvalidInputException(element(pointer, wrong), "Expected "
						+ ((type == Datatype.BOOL) ? "true or false" : "a number") + " in a " + type + " tensor.",
						"wrong-type");
			}
			int notANumber = firstOf(d.firstNaN, d.firstNonStandard);
			if (notANumber >= 0 && notANumber == d.firstNaN) {
				throw new InvalidInputException(element(pointer, notANumber), "NaN is not allowed; send a number.",
						"nan");
			}
			if (notANumber >= 0) {
				throw new InvalidInputException(element(pointer, notANumber),
						"'" + d.nonStandard
								+ "' is not a number; the only non-finite tokens read are Infinity and -Infinity.",
						"non-standard-number");
			}
			if (d.values.length == count) {
				return d.values;
			}
			this.memory.allocate(count * 8L, 0);
			return Arrays.copyOf(d.values, count);
		}

		private static double[] rounded(double[] values, DType dtype) {
			if (dtype != DType.FLOAT64) {
				for (int i = 0; i < values.length; i++) {
					values[i] = dtype.round(values[i]);
				}
			}
			return values;
		}

		private String element(String pointer, int index) {
			return new Tensor(this.shape, new double[(int) Tensor.elementCount(this.shape)], DType.FLOAT64)
				.pointer(pointer, index);
		}

		private static int firstOf(int a, int b) {
			return (a < 0) ? b : (b < 0) ? a : Math.min(a, b);
		}

	}

	private final class RequestBuilder {

		private @Nullable String id;

		private @Nullable String modelName;

		private ObjectNode parameters = InferenceRequestParser.this.mapper.createObjectNode();

		private final List<InputBuilder> inputs = new ArrayList<>();

		private final List<Output> outputs = new ArrayList<>();

		InferenceRequest build(byte[] body, int headerLength) {
			List<Input> built = new ArrayList<>();
			Set<String> names = new HashSet<>();
			int offset = headerLength;
			int[] taken = new int[1];
			for (InputBuilder input : this.inputs) {
				Input one = input.build(body, offset, taken);
				if (!names.add(one.name())) {
					throw new InvalidInputException("/" + one.name(),
							"Input '" + one.name() + "' is given twice; send each input once.", "conflict");
				}
				built.add(one);
				offset += taken[0];
			}
			if (offset != body.length) {
				throw new InvalidInputException("",
						"The body has " + (body.length - offset)
								+ " bytes after the JSON object and the binary data its inputs declare; check "
								+ "binary_data_size and Inference-Header-Content-Length.",
						"malformed-json");
			}
			return new InferenceRequest(this.id, this.modelName, this.parameters, built, this.outputs);
		}

	}

}
