package io.softmaxservice.tensor;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The floating-point type a request is computed and answered in.
 */
@JsonDeserialize(using = ExactEnumReader.class)
public enum DType {

	/** IEEE 754 binary64, the default. */
	@JsonProperty("float64")
	FLOAT64,

	/**
	 * IEEE 754 binary32: inputs are rounded to it and outputs written as the shortest
	 * float.
	 */
	@JsonProperty("float32")
	FLOAT32;

	/**
	 * Rounds a value to this type: identity for float64, nearest float for float32.
	 * @param value a double
	 * @return the value as this type would hold it
	 */
	public double round(double value) {
		return (this == FLOAT32) ? (float) value : value;
	}

}
