package io.softmaxservice.system;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.softmaxservice.tensor.Tensor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Counts the tensor elements of every request answered with success in the counter
 * {@code softmax.tensor.elements}, tagged with the endpoint. It sums the sizes of the
 * {@link Tensor} fields of each request body record, so an endpoint needs no code of its
 * own to be counted.
 */
@ControllerAdvice
class TensorElementsMetrics extends RequestBodyAdviceAdapter implements HandlerInterceptor, WebMvcConfigurer {

	static final String METRIC = "softmax.tensor.elements";

	private static final String ELEMENTS = TensorElementsMetrics.class.getName() + ".elements";

	private final ObjectProvider<MeterRegistry> registry;

	private final Map<Class<?>, List<Method>> tensorAccessors = new ConcurrentHashMap<>();

	TensorElementsMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this);
	}

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return methodParameter.getParameterType().isRecord();
	}

	@Override
	public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		if (body == null) {
			return null;
		}
		long elements = 0;
		for (Method accessor : this.tensorAccessors.computeIfAbsent(body.getClass(),
				TensorElementsMetrics::accessors)) {
			if (ReflectionUtils.invokeMethod(accessor, body) instanceof Tensor tensor) {
				elements += tensor.size();
			}
		}
		RequestContextHolder.currentRequestAttributes()
			.setAttribute(ELEMENTS, elements, RequestAttributes.SCOPE_REQUEST);
		return body;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		MeterRegistry meters = this.registry.getIfAvailable();
		if (meters != null && ex == null && response.getStatus() < 400
				&& request.getAttribute(ELEMENTS) instanceof Long elements) {
			Object endpoint = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			Counter.builder(METRIC)
				.description("Tensor elements in the bodies of requests answered with success")
				.baseUnit("elements")
				.tag("endpoint", (endpoint != null) ? endpoint.toString() : "UNKNOWN")
				.register(meters)
				.increment(elements);
		}
	}

	private static List<Method> accessors(Class<?> type) {
		List<Method> accessors = new ArrayList<>();
		if (type.isRecord()) {
			for (RecordComponent component : type.getRecordComponents()) {
				if (Tensor.class.isAssignableFrom(component.getType())) {
					Method accessor = component.getAccessor();
					ReflectionUtils.makeAccessible(accessor);
					accessors.add(accessor);
				}
			}
		}
		return accessors;
	}

}
