package io.softmaxservice.numpy;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

	/** Whether each handler method also consumes .npz: Spring asks once per body read. */
	private final Map<Method, Boolean> readsNumpy = new ConcurrentHashMap<>();

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		Method method = methodParameter.getMethod();
		if (method == null || NumpyHttpMessageConverter.class.isAssignableFrom(converterType)) {
			return false;
		}
		return this.readsNumpy.computeIfAbsent(method, JsonQueryParametersAdvice::consumesNpz);
	}

	private static boolean consumesNpz(Method method) {
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
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
