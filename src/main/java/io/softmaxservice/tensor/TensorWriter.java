package io.softmaxservice.tensor;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a tensor as nested JSON arrays through Jackson, for every body not written by
 * the JSON converter of {@code io.softmaxservice.json}: each value as the shortest
 * decimal that reads back as the same double (or, for float32, the same float), and
 * infinities as the bare tokens {@code Infinity} and {@code -Infinity}, or as
 * {@code null} when the serialization attribute {@link #NON_FINITE_AS_NULL} is true (for
 * clients whose JSON parsers refuse those tokens).
 */
@JacksonComponent
public class TensorWriter extends ValueSerializer<Tensor> {

	/**
	 * The serialization attribute that, set to {@code Boolean.TRUE}, writes non-finite
	 * values as {@code null}.
	 */
	public static final String NON_FINITE_AS_NULL = TensorWriter.class.getName() + ".nonFiniteAsNull";

	@Override
	public Class<?> handledType() {
		return Tensor.class;
	}

	@Override
	public void serialize(Tensor tensor, JsonGenerator generator, SerializationContext context) {
		boolean nonFiniteAsNull = Boolean.TRUE.equals(context.getAttribute(NON_FINITE_AS_NULL));
		if (tensor.rank() == 0) {
			writeValue(generator, tensor.get(0), tensor.dtype(), nonFiniteAsNull);
			return;
		}
		writeArray(generator, tensor, 0, 0, nonFiniteAsNull);
	}

	/** Writes the sub-array at {@code axis} that starts at row-major {@code offset}. */
	private static int writeArray(JsonGenerator generator, Tensor tensor, int axis, int offset,
			boolean nonFiniteAsNull) {
		int length = tensor.dim(axis);
		generator.writeStartArray(null, length);
		int next = offset;
		if (axis == tensor.rank() - 1) {
			double[] values = tensor.values();
			DType dtype = tensor.dtype();
			for (int i = 0; i < length; i++) {
				writeValue(generator, values[next++], dtype, nonFiniteAsNull);
			}
		}
		else {
			for (int i = 0; i < length; i++) {
				next = writeArray(generator, tensor, axis + 1, next, nonFiniteAsNull);
			}
		}
		generator.writeEndArray();
		return next;
	}

	private static void writeValue(JsonGenerator generator, double value, DType dtype, boolean nonFiniteAsNull) {
		double rounded = dtype.round(value);
		if (!Double.isFinite(rounded)) {
			if (nonFiniteAsNull) {
				generator.writeNull();
			}
			else {
				generator.writeNumber(rounded);
			}
		}
		else {
			generator.writeNumber((dtype == DType.FLOAT32) ? ShortestDecimal.toString((float) value)
					: ShortestDecimal.toString(value));
		}
	}

	/**
	 * The shortest decimal that reads back as a subnormal double (or float), and the
	 * nearest of that length: {@code 5.0E-324}, where Java's own algorithm keeps two
	 * digits ({@code 4.9E-324}).
	 * @param value the value
	 * @param single whether it is a float
	 * @return its text
	 */
	static String shortestSubnormal(double value, boolean single) {
		return single ? ShortestDecimal.toString((float) value) : ShortestDecimal.toString(value);
	}

}
