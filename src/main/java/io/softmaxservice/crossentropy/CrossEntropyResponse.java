package io.softmaxservice.crossentropy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body answered by {@code POST /cross-entropy}: the loss and, when asked for, its
 * gradient with respect to the logits.
 *
 * @param loss a number for reduction mean and sum; for none, one loss per position shaped
 * like the logits without the class axis (a number for rank-1 logits)
 * @param gradLogits the gradient of the returned loss (of its sum for none), shaped like
 * the logits; null unless include_grad is true
 */
@Schema(description = "The cross-entropy loss, and its gradient when include_grad is true.")
public record CrossEntropyResponse(

		@Schema(description = "A number for reduction mean and sum; for none, one loss per position, shaped "
				+ "like the logits without the class axis (a number for rank-1 logits). Ignored targets give 0.",
				types = {
						"number", "array" },
				example = "13.126930001932527") Tensor loss,

		@JsonProperty("grad_logits") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(
				description = "The gradient of the returned loss with respect to the logits (for reduction "
						+ "none, of the sum of the returned losses), shaped like the logits; present when "
						+ "include_grad is true. Ignored targets and masked logits have gradient 0.",
				example = "[[0.1192026847025014, -0.9999980091124268, 0.8807953244099254]]") Tensor gradLogits){

}
