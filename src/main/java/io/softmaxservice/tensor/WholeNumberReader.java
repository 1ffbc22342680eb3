package io.softmaxservice.tensor;

import java.math.BigDecimal;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an integer field (an axis, an ignore index) from any JSON number with a whole
 * value: {@code 2}, {@code 2.0} and {@code 2e0} read as 2; {@code 2.5}, a value outside
 * the int range, or anything but a number is refused at the field's pointer. The test is
 * exact, on the decimal literal, so {@code 2.0000000000000000001} is not whole.
 */
public class WholeNumberReader extends ValueDeserializer<Integer> {

	private static final BigDecimal MIN = BigDecimal.valueOf(Integer.MIN_VALUE);

	private static final BigDecimal MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

	@Override
	public Integer deserialize(JsonParser parser, DeserializationContext context) {
		String pointer = parser.streamReadContext().pathAsPointer().toString();
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
			return parser.getIntValue();
		}
		if (!token.isNumeric()) {
			throw new InvalidInputException(pointer,
					"Expected a whole number, found " + TensorReader.describe(token) + ".");
		}
		if (parser.isNaN()) {
			throw new InvalidInputException(pointer, "Expected a whole number, found " + parser.getString() + ".");
		}
		BigDecimal value = parser.getDecimalValue();
		if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
			throw new InvalidInputException(pointer, "Expected a whole number, found " + parser.getString() + ".");
		}
		if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
			throw new InvalidInputException(pointer, "The number " + parser.getString() + " is out of range.");
		}
		return value.intValueExact();
	}

}
