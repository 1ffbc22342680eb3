package io.softmaxservice.numpy;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Refuses with 406 an answer asked for as {@code application/x-npy} that has more than
 * one field (a loss with its gradient): one {@code .npy} file holds one array.
 */
@ControllerAdvice
class NpyAnswerAdvice implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return NumpyHttpMessageConverter.class.isAssignableFrom(converterType);
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (body != null && NumpyMediaTypes.isNpy(selectedContentType)) {
			RecordFields fields = RecordFields.of(body.getClass());
			int count = fields.tensors(body).size();
			if (count != 1) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_ACCEPTABLE,
						"This answer has " + count + " arrays (" + String.join(", ", fields.tensors(body).keySet())
								+ ") and a .npy file holds one; accept application/x-npz or application/json.");
				throw new ErrorResponseException(HttpStatus.NOT_ACCEPTABLE, problem, null);
			}
		}
		return body;
	}

}
