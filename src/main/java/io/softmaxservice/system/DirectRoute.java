package io.softmaxservice.system;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.softmaxservice.numpy.NumpyMediaTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;

/**
 * An endpoint {@link DirectJsonDispatch} answers: a {@code POST} mapping of one fixed
 * path that consumes JSON, whose handler method takes only a {@code @RequestBody}, with
 * the converters Spring MVC would pick for JSON (the first in its list that reads the
 * body's type, the first that writes the answer's), and for {@code .npz} archives if it
 * takes them.
 *
 * @param path the mapped path
 * @param bean the controller
 * @param method the handler method
 * @param bodyType the type of its request body
 * @param reader the converter that reads it
 * @param writer the converter that writes the answer
 * @param npz the converter that reads the body and writes the answer as {@code .npz}
 * archives, if the mapping takes and gives them
 */
record DirectRoute(String path, Object bean, Method method, Class<?> bodyType, HttpMessageConverter<Object> reader,
		HttpMessageConverter<Object> writer, @Nullable HttpMessageConverter<Object> npz) {

	/**
	 * The route for a mapping, if it can be answered directly.
	 * @param info the mapping
	 * @param handler its handler method
	 * @param converters Spring MVC's message converters, in order
	 * @return the route, or {@code null}
	 */
	static @Nullable DirectRoute of(RequestMappingInfo info, HandlerMethod handler,
			List<HttpMessageConverter<?>> converters) {
		Method method = handler.getMethod();
		Set<String> paths = info.getPatternValues();
		if (!info.getMethodsCondition().getMethods().equals(Set.of(RequestMethod.POST)) || paths.size() != 1
				|| paths.iterator().next().contains("{")
				|| !info.getConsumesCondition().getConsumableMediaTypes().contains(MediaType.APPLICATION_JSON)
				|| method.getParameterCount() != 1
				|| !method.getParameters()[0].isAnnotationPresent(RequestBody.class)) {
			return null;
		}
		Class<?> bodyType = method.getParameterTypes()[0];
		HttpMessageConverter<Object> reader = first(converters, (c) -> c.canRead(bodyType, MediaType.APPLICATION_JSON));
		HttpMessageConverter<Object> writer = first(converters,
				(c) -> c.canWrite(method.getReturnType(), MediaType.APPLICATION_JSON));
		if (reader == null || writer == null) {
			return null;
		}
		HttpMessageConverter<Object> npz = null;
		if (info.getConsumesCondition().getConsumableMediaTypes().contains(NumpyMediaTypes.NPZ)
				&& info.getProducesCondition().getProducibleMediaTypes().contains(NumpyMediaTypes.NPZ)) {
			npz = first(converters, (c) -> c.canRead(bodyType, NumpyMediaTypes.NPZ)
					&& c.canWrite(method.getReturnType(), NumpyMediaTypes.NPZ));
		}
		ReflectionUtils.makeAccessible(method);
		return new DirectRoute(paths.iterator().next(), handler.createWithResolvedBean().getBean(), method, bodyType,
				reader, writer, npz);
	}

	@SuppressWarnings("unchecked")
	private static @Nullable HttpMessageConverter<Object> first(List<HttpMessageConverter<?>> converters,
			Predicate<HttpMessageConverter<?>> test) {
		return (HttpMessageConverter<Object>) converters.stream().filter(test).findFirst().orElse(null);
	}

	/**
	 * Calls the handler method.
	 * @param body the request body as read
	 * @return its answer
	 * @throws Exception what the handler threw
	 */
	@Nullable Object invoke(Object body) throws Exception {
		try {
			return this.method.invoke(this.bean, body);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
