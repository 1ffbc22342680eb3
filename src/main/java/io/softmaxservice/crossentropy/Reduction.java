package io.softmaxservice.crossentropy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.ExactEnumReader;
import tools.jackson.databind.annotation.JsonDeserialize;

/** How the cross-entropy losses of the positions are combined. */
@JsonDeserialize(using = ExactEnumReader.class)
public enum Reduction {

	/** The weighted mean. */
	@JsonProperty("mean")
	MEAN,

	/** The sum. */
	@JsonProperty("sum")
	SUM,

	/** One loss per position. */
	@JsonProperty("none")
	NONE

}
