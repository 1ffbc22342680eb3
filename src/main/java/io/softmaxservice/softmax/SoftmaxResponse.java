package io.softmaxservice.softmax;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body answered by {@code POST /softmax}: exactly one of the two fields.
 *
 * @param probabilities softmax of the logits, when {@code log} is false
 * @param logProbabilities log-softmax of the logits, when {@code log} is true
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Softmax of the logits, shaped like them: probabilities, or log_probabilities when log is true.")
public record SoftmaxResponse(

		@Schema(description = "softmax(logits / temperature) along the axis; present when log is false.",
				example = "[[0.09003057317038046, 0.24472847105479764, 0.6652409557748218], [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]]") Tensor probabilities,

		@JsonProperty("log_probabilities") @Schema(
				description = "log_softmax(logits / temperature) along the axis; present when log is true. "
						+ "A masked logit gives -Infinity.",
				example = "[[-2.4076059644443806, -1.4076059644443804, -0.4076059644443804]]") Tensor logProbabilities) {

	static SoftmaxResponse of(Tensor result, boolean log) {
		return log ? new SoftmaxResponse(null, result) : new SoftmaxResponse(result, null);
	}

}
