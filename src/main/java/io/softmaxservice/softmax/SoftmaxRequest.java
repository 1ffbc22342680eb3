package io.softmaxservice.softmax;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;
import io.softmaxservice.tensor.WholeNumberReader;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /softmax}.
 *
 * @param logits the input tensor
 * @param axis the axis along which outputs sum to 1
 * @param temperature divides the logits
 * @param log whether to return log-softmax
 * @param dtype the floating-point type to compute and answer in
 */
@Schema(description = "Softmax of a tensor along one axis.")
public record SoftmaxRequest(

		@Schema(description = "The input: nested arrays of numbers, rank 1 to 8, rectangular. "
				+ "-Infinity masks a class out (probability 0); NaN and +Infinity are errors.",
				requiredMode = Schema.RequiredMode.REQUIRED,
				example = "[[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]") Tensor logits,

		@Schema(description = "The axis along which outputs sum to 1; negative counts from the end. "
				+ "Must lie in [-rank, rank-1].", defaultValue = "-1",
				example = "-1") @JsonDeserialize(using = WholeNumberReader.class) Integer axis,

		@Schema(description = "Computes softmax(logits / temperature); a finite number > 0.", defaultValue = "1",
				exclusiveMinimumValue = 0, example = "1.0") Double temperature,

		@Schema(description = "Return the natural log-softmax (as log_probabilities) instead of probabilities.",
				defaultValue = "false", example = "false") Boolean log,

		@Schema(description = "float64, or float32: inputs rounded to float32 and outputs written as the "
				+ "shortest decimal that round-trips a float32.", defaultValue = "float64",
				example = "float64") DType dtype) {

	/**
	 * Checks the request against the contract and resolves its defaults.
	 * @return what to compute
	 */
	Softmax validate() {
		DType type = (this.dtype != null) ? this.dtype : DType.FLOAT64;
		Tensor x = TensorChecks.requireArray(TensorChecks.required(this.logits, "/logits"), "/logits").as(type);
		int resolvedAxis = TensorChecks.axis(this.axis, -1, x.rank(), "/axis");
		double t = TensorChecks.temperature(this.temperature, "/temperature");
		TensorChecks.checkLogits(x, resolvedAxis, "/logits");
		return new Softmax(x, resolvedAxis, t, Boolean.TRUE.equals(this.log));
	}

	/**
	 * A checked softmax request.
	 *
	 * @param logits the input, in the requested dtype
	 * @param axis the axis in {@code [0, rank)}
	 * @param temperature the temperature
	 * @param log whether to return log-softmax
	 */
	record Softmax(Tensor logits, int axis, double temperature, boolean log) {
	}

}
