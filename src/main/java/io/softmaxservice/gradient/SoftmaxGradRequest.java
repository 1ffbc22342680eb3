package io.softmaxservice.gradient;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /softmax/grad}, as any wire format binds it: the point (exactly
 * one of logits, probabilities or log-probabilities), what to return, and the softmax's
 * own options; every field may be missing. {@link SoftmaxGradValidator} checks it.
 *
 * @param logits the point as logits x
 * @param probabilities the point as y = softmax(x / T)
 * @param logProbabilities the point as log(y)
 * @param gradOutput the upstream gradient dL/dout, for {@code vjp}
 * @param mode {@code vjp} or {@code jacobian}
 * @param axis the softmax axis
 * @param temperature divides the logits
 * @param log whether to differentiate log-softmax
 * @param dtype the floating-point type to compute and answer in, by default that of the
 * point
 * @param mask false where a class is masked out
 */
@Schema(description = "The derivative of softmax (or log-softmax) along one axis, at a point given as exactly one "
		+ "of logits, probabilities or log_probabilities.")
public record SoftmaxGradRequest(

		@Schema(description = "The point as logits x: rank 1 to 8. -Infinity masks a class out; NaN, +Infinity and "
				+ "a slice all -Infinity are errors. Give exactly one of logits, probabilities, log_probabilities.",
				example = "[[1.0, 2.0, 3.0]]") @Nullable Tensor logits,

		@Schema(description = "The point as the softmax output y = softmax(x / temperature): values in [0, 1], each "
				+ "slice along the axis summing to 1 within 1e-6 (float64) or 1e-4 (float32). The derivative is "
				+ "still taken with respect to the logits x, so it is divided by the temperature.",
				example = "[[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]]") @Nullable Tensor probabilities,

		@JsonProperty("log_probabilities") @Schema(
				description = "The point as the log-softmax output log(y): values <= 0 (-Infinity is probability 0), "
						+ "their exponentials obeying the probabilities' rule.",
				example = "[[-2.4076059644443806, -1.4076059644443806, -0.4076059644443806]]") @Nullable Tensor logProbabilities,

		@JsonProperty("grad_output") @Schema(
				description = "The upstream gradient dL/dout, shaped exactly like the point; finite numbers. "
						+ "Required for mode vjp, forbidden for mode jacobian.",
				example = "[[1.0, 0.0, 0.0]]") @Nullable Tensor gradOutput,

		@Schema(description = "vjp: return grad_logits, the vector-Jacobian product with grad_output. jacobian: "
				+ "return the Jacobian of every slice along the axis.", defaultValue = "vjp",
				example = "vjp") @Nullable Mode mode,

		@Schema(description = "The softmax axis; negative counts from the end. Must lie in [-rank, rank-1].",
				defaultValue = "-1",
				example = "-1") @JsonDeserialize(using = WholeNumberReader.class) @Nullable Integer axis,

		@Schema(description = "The softmax is softmax(logits / temperature); a finite number > 0. The derivative is "
				+ "with respect to the logits, so it carries a factor 1 / temperature whichever way the point is given.",
				defaultValue = "1", exclusiveMinimumValue = 0, example = "1.0") @Nullable Double temperature,

		@Schema(description = "Differentiate the natural log-softmax instead of softmax.", defaultValue = "false",
				example = "false") @Nullable Boolean log,

		@Schema(description = "float64, or float32: inputs rounded to float32 and outputs written as the "
				+ "shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") @Nullable DType dtype,

		@Schema(description = "Optional: true or false per element of the point, shaped exactly like it. false "
				+ "masks the class out exactly as a -Infinity logit does (probability 0, log-probability "
				+ "-Infinity); both may be used together.", example = "[[true, true, false]]") @Nullable Mask mask) {

}
