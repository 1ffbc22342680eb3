package io.softmaxservice.softmax;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /softmax}, as any wire format binds it: every field may be
 * missing; {@link SoftmaxValidator} checks it.
 *
 * @param logits the input tensor
 * @param axis the axis along which outputs sum to 1
 * @param temperature divides the logits
 * @param log whether to return log-softmax
 * @param dtype the floating-point type to compute and answer in, by default that of the
 * logits
 * @param mask false where a class is masked out
 */
@Schema(description = "Softmax of a tensor along one axis.")
public record SoftmaxRequest(

		@Schema(description = "The input: nested arrays of numbers, rank 1 to 8, rectangular. "
				+ "-Infinity masks a class out (probability 0); NaN and +Infinity are errors.",
				requiredMode = Schema.RequiredMode.REQUIRED,
				example = "[[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]") @Nullable Tensor logits,

		@Schema(description = "The axis along which outputs sum to 1; negative counts from the end. "
				+ "Must lie in [-rank, rank-1].", defaultValue = "-1",
				example = "-1") @JsonDeserialize(using = WholeNumberReader.class) @Nullable Integer axis,

		@Schema(description = "Computes softmax(logits / temperature); a finite number > 0.", defaultValue = "1",
				exclusiveMinimumValue = 0, example = "1.0") @Nullable Double temperature,

		@Schema(description = "Return the natural log-softmax (as log_probabilities) instead of probabilities.",
				defaultValue = "false", example = "false") @Nullable Boolean log,

		@Schema(description = "float64, or float32: inputs rounded to float32 and outputs written as the "
				+ "shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") @Nullable DType dtype,

		@Schema(description = "Optional: true or false per logit, shaped exactly like logits. false masks the class "
				+ "out exactly as a -Infinity logit does (both may be used together), for clients that cannot "
				+ "write -Infinity.", example = "[[true, true, false], [true, true, true]]") @Nullable Mask mask) {

}
