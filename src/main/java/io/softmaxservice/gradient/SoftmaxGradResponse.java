package io.softmaxservice.gradient;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body answered by {@code POST /softmax/grad}: {@code grad_logits} for mode vjp, or
 * {@code jacobian} for mode jacobian.
 *
 * @param gradLogits the vector-Jacobian product, shaped like the point
 * @param jacobian the Jacobian of every slice, shaped like the point without the axis,
 * followed by [C, C]
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "grad_logits (mode vjp) or jacobian (mode jacobian).")
public record SoftmaxGradResponse(

		@JsonProperty("grad_logits") @Schema(
				description = "dL/dlogits = grad_output times the Jacobian, shaped like the point; present for mode vjp.",
				example = "[[0.08192506906499324, -0.022033044520174298, -0.05989202454481893]]") Tensor gradLogits,

		@Schema(description = "J[..., i, j] = d out_i / d logits_j for every slice along the axis, shaped like the "
				+ "point without the axis followed by [C, C]; present for mode jacobian.",
				example = "[[0.25, -0.25], [-0.25, 0.25]]") Tensor jacobian) {

	static SoftmaxGradResponse gradLogits(Tensor gradLogits) {
		return new SoftmaxGradResponse(gradLogits, null);
	}

	static SoftmaxGradResponse jacobian(Tensor jacobian) {
		return new SoftmaxGradResponse(null, jacobian);
	}

}
