package io.softmaxservice.crossentropy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /cross-entropy}, with the semantics of PyTorch's
 * {@code torch.nn.functional.cross_entropy} field for field, as any wire format binds it:
 * every field may be missing. {@link CrossEntropyValidator} checks it.
 *
 * @param logits the unnormalised scores
 * @param target class indices, or class probabilities shaped like the logits
 * @param axis the class axis
 * @param weight a rescaling weight per class
 * @param ignoreIndex the class index whose targets contribute nothing
 * @param reduction how the per-position losses are combined
 * @param labelSmoothing the share of the target spread evenly over all classes
 * @param includeGrad whether to return the gradient with respect to the logits
 * @param dtype the floating-point type to compute and answer in, by default that of the
 * logits
 * @param mask false where a class is masked out
 */
@Schema(description = "Cross-entropy between logits and class-index or class-probability targets, "
		+ "as torch.nn.functional.cross_entropy.")
public record CrossEntropyRequest(

		@Schema(description = "Unnormalised scores shaped (C), (N, C) or (N, C, d1, ..., dk), with the classes "
				+ "along `axis`: nested arrays of numbers, rank 1 to 8. -Infinity masks a class out; NaN and "
				+ "+Infinity are errors.", requiredMode = Schema.RequiredMode.REQUIRED,
				example = "[[8.0, -3.0, 10.0], [0.5, 2.0, -1.0]]") @Nullable Tensor logits,

		@Schema(description = "Either class indices (whole numbers in [0, C), or ignore_index) shaped like "
				+ "`logits` without the class axis — a single number for rank-1 logits — or class probabilities "
				+ "in [0, 1] shaped exactly like `logits` (they need not sum to 1). The shape tells them apart.",
				types = {
						"array", "number" },
				requiredMode = Schema.RequiredMode.REQUIRED, example = "[1, 2]") @Nullable Tensor target,

		@Schema(description = "The class axis; negative counts from the end (e.g. -1 for (N, T, C) sequence "
				+ "logits). Must lie in [-rank, rank-1]. Defaults to 1, or 0 for rank-1 logits.",
				example = "1") @JsonDeserialize(using = WholeNumberReader.class) @Nullable Integer axis,

		@Schema(description = "A rescaling weight for each class: a list of C finite numbers >= 0. "
				+ "Defaults to 1 for every class.", example = "[1.0, 2.0, 0.5]") @Nullable Tensor weight,

		@JsonProperty("ignore_index") @Schema(
				description = "Class-index targets equal to this value contribute nothing to the loss, "
						+ "the mean's denominator or the gradient. With probability targets it must be negative "
						+ "(it then has no effect).",
				defaultValue = "-100",
				example = "-100") @JsonDeserialize(using = WholeNumberReader.class) @Nullable Integer ignoreIndex,

		@Schema(description = "none: one loss per position; sum: their sum; mean: their sum divided by the "
				+ "summed weights of the non-ignored class-index targets (their count without `weight`), or by "
				+ "the number of positions for probability targets.", defaultValue = "mean",
				example = "mean") @Nullable Reduction reduction,

		@JsonProperty("label_smoothing") @Schema(
				description = "A number in [0, 1]: the target becomes (1 - label_smoothing) times the given one "
						+ "plus label_smoothing / C on every class, as PyTorch does it.",
				defaultValue = "0", minimum = "0", maximum = "1", example = "0.1") @Nullable Double labelSmoothing,

		@JsonProperty("include_grad") @Schema(
				description = "Also return grad_logits, the gradient of the returned loss (of its sum for "
						+ "reduction none) with respect to the logits.",
				defaultValue = "false", example = "true") @Nullable Boolean includeGrad,

		@Schema(description = "float64, or float32: logits, probability targets and weights rounded to float32 "
				+ "and outputs written as the shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") @Nullable DType dtype,

		@Schema(description = "Optional: true or false per logit, shaped exactly like logits. false masks the class "
				+ "out exactly as a -Infinity logit does (both may be used together).",
				example = "[[true, true, false], [true, true, true]]") @Nullable Mask mask){

}
