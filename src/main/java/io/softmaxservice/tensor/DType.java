package io.softmaxservice.tensor;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The floating-point type a request is computed and answered in, and the one home of the
 * rules that depend on it: rounding, finiteness, the overflow wording, the tolerance of a
 * probability slice's sum and the default.
 */
@JsonDeserialize(using = ExactEnumReader.class)
public enum DType {

	/** IEEE 754 binary64, the default. */
	@JsonProperty("float64")
	FLOAT64("float64", 1e-6),

	/**
	 * IEEE 754 binary32: inputs are rounded to it and outputs written as the shortest
	 * float.
	 */
	@JsonProperty("float32")
	FLOAT32("float32", 1e-4);

	private final String wireName;

	private final double sumTolerance;

	DType(String wireName, double sumTolerance) {
		this.wireName = wireName;
		this.sumTolerance = sumTolerance;
	}

	/**
	 * The dtype a request computes in: the one it asks for, else that of its point (the
	 * logits, or the point of a gradient). The JSON reader makes float64 tensors, so a
	 * JSON request defaults to float64; a float32 array read from a binary format
	 * defaults to float32.
	 * @param requested the request's {@code dtype}, or null
	 * @param point the tensor the computation is about
	 * @return the dtype to compute in
	 */
	public static DType resolve(@Nullable DType requested, Tensor point) {
		return (requested != null) ? requested : point.dtype();
	}

	/**
	 * Rounds a value to this type: identity for float64, nearest float for float32.
	 * @param value a double
	 * @return the value as this type would hold it
	 */
	public double round(double value) {
		return (this == FLOAT32) ? (float) value : value;
	}

	/**
	 * Whether a value stays finite once rounded to this type.
	 * @param value a double
	 * @return false for infinities, NaN and doubles beyond this type's range
	 */
	public boolean isFinite(double value) {
		return Double.isFinite(round(value));
	}

	/**
	 * The words that explain an infinite input value made infinite by rounding to
	 * float32: {@code " (this value overflows float32)"} for an infinite value in
	 * float32, else nothing.
	 * @param value an input value, already in this type
	 * @return the note, with a leading space, or an empty string
	 */
	public String overflowNote(double value) {
		return (this == FLOAT32 && Double.isInfinite(value)) ? " (this value overflows float32)" : "";
	}

	/**
	 * How far a slice of probabilities in this type may sum from 1: 1e-6 for float64,
	 * 1e-4 for float32.
	 * @return the tolerance
	 */
	public double sumTolerance() {
		return this.sumTolerance;
	}

	/**
	 * The name requests use, e.g. {@code float64}.
	 * @return the name
	 */
	public String wireName() {
		return this.wireName;
	}

}
