package io.softmaxservice.softmax;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorChecks;

import org.springframework.stereotype.Component;

/**
 * Checks a {@link SoftmaxRequest} against the contract, whatever wire format it came in,
 * and resolves its defaults into a {@link SoftmaxCall}.
 */
@Component
public class SoftmaxValidator {

	/**
	 * Checks a request: the logits (present, an array), the axis, the temperature, the
	 * mask's shape, then the logits' values with the mask applied.
	 * @param request the request as bound
	 * @return what to compute
	 * @throws InvalidInputException at the first rule the request breaks
	 */
	public SoftmaxCall validate(SoftmaxRequest request) {
		Tensor logits = TensorChecks.requireArray(TensorChecks.required(request.logits(), "/logits"), "/logits");
		Tensor x = logits.as(DType.resolve(request.dtype(), logits));
		int axis = TensorChecks.axis(request.axis(), -1, x.rank(), "/axis");
		double temperature = TensorChecks.temperature(request.temperature(), "/temperature");
		x = TensorChecks.masked(request.mask(), x, "/logits", Double.NEGATIVE_INFINITY);
		TensorChecks.checkLogits(x, axis, "/logits");
		return new SoftmaxCall(x, axis, temperature, Boolean.TRUE.equals(request.log()));
	}

}
