package io.softmaxservice.tensor;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a JSON {@link Mask}: {@code true}, {@code false}, or nested arrays of them, with
 * the structure rules and the element limit of {@link TensorReader}. A number in a mask
 * is refused at its pointer.
 */
@JacksonComponent
public class MaskReader extends ValueDeserializer<Mask> {

	private final TensorReader arrays;

	public MaskReader(TensorLimits limits) {
		this.arrays = new TensorReader(limits);
	}

	@Override
	public Class<?> handledType() {
		return Mask.class;
	}

	@Override
	public Mask deserialize(JsonParser parser, DeserializationContext context) {
		String root = TensorReader.rootPointer(parser);
		JsonToken token = parser.currentToken();
		if (token.isBoolean()) {
			return Mask.of(new int[0], token == JsonToken.VALUE_TRUE);
		}
		if (token != JsonToken.START_ARRAY) {
			throw new InvalidInputException(root, "Expected true, false or nested arrays of them, found "
					+ TensorReader.describe(token) + "; send the mask as nested JSON arrays of true and false.",
					"wrong-type");
		}
		Tensor values = this.arrays.readArray(parser, root, true);
		boolean[] keep = new boolean[values.size()];
		for (int i = 0; i < keep.length; i++) {
			keep[i] = values.get(i) != 0;
		}
		return new Mask(values.shape(), keep);
	}

}
