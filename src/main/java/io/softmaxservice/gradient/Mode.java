package io.softmaxservice.gradient;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.ExactEnumReader;
import tools.jackson.databind.annotation.JsonDeserialize;

/** What {@code POST /softmax/grad} returns: a vector-Jacobian product or the Jacobian. */
@JsonDeserialize(using = ExactEnumReader.class)
public enum Mode {

	/** {@code grad_logits}: the upstream gradient times the Jacobian. */
	@JsonProperty("vjp")
	VJP,

	/** {@code jacobian}: d out_i / d x_j for every slice. */
	@JsonProperty("jacobian")
	JACOBIAN

}
