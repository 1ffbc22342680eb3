package io.softmaxservice.numpy;

import java.lang.reflect.Type;
import java.util.Arrays;

import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.TensorReader;

import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses query parameters on a JSON body to an endpoint that also reads NumPy bodies:
 * there the fields travel in the body, and a parameter would be silently ignored.
 */
@ControllerAdvice
class JsonQueryParametersAdvice extends RequestBodyAdviceAdapter {

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		if (NumpyHttpMessageConverter.class.isAssignableFrom(converterType) || methodParameter.getMethod() == null) {
			return false;
		}
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(methodParameter.getMethod(),
				RequestMapping.class);
		return mapping != null && Arrays.asList(mapping.consumes()).contains(NumpyMediaTypes.NPZ_VALUE);
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		String query = (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest().getQueryString() : null;
		String name = QueryParameters.parse(query).keySet().stream().findFirst().orElse(null);
		if (name != null) {
			throw new InvalidInputException(QueryParameters.pointer(name),
					"The query parameter '" + TensorReader.abbreviate(name)
							+ "' is not read with a JSON body; put the field in the "
							+ "JSON object, or send the tensors as application/x-npz.",
					"not-allowed");
		}
		return inputMessage;
	}

}
