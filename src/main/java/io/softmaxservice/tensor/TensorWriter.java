package io.softmaxservice.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.springframework.boot.jackson.JacksonComponent;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a tensor as nested JSON arrays straight from its primitive array: each value as
 * the shortest decimal that reads back as the same double (or, for float32, the same
 * float), and infinities as the bare tokens {@code Infinity} and {@code -Infinity}, or as
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
		if (nonFiniteAsNull && !Double.isFinite(dtype.round(value))) {
			generator.writeNull();
		}
		else if (dtype == DType.FLOAT32) {
			float single = (float) value;
			if (single != 0 && Math.abs(single) < Float.MIN_NORMAL) {
				generator.writeNumber(shortestSubnormal(single, true));
			}
			else {
				generator.writeNumber(single);
			}
		}
		else if (value != 0 && Math.abs(value) < Double.MIN_NORMAL) {
			generator.writeNumber(shortestSubnormal(value, false));
		}
		else {
			generator.writeNumber(value);
		}
	}

	/**
	 * The shortest decimal that reads back as a subnormal double (or float): Java's
	 * algorithm, which Jackson's writer follows, keeps two digits where one would do for
	 * some subnormals ({@code 4.9E-324} for {@code 5E-324}). Rounding the exact value to
	 * 1, 2, ... significant digits finds the shortest, and the nearest of that length.
	 */
	static String shortestSubnormal(double value, boolean single) {
		BigDecimal exact = new BigDecimal(value);
		for (int digits = 1;; digits++) {
			BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
			String text = rounded.toString();
			boolean readsBack = single ? Float.parseFloat(text) == (float) value : Double.parseDouble(text) == value;
			if (readsBack) {
				String unscaled = rounded.unscaledValue().abs().toString();
				int exponent = unscaled.length() - 1 - rounded.scale();
				return ((value < 0) ? "-" : "") + unscaled.charAt(0) + "."
						+ ((unscaled.length() > 1) ? unscaled.substring(1) : "0") + "E" + exponent;
			}
		}
	}

}
