package io.softmaxservice.system;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.softmaxservice.numpy.NumpyMediaTypes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Answers a small JSON request to a tensor endpoint with the handler method, request
 * converter and response converter Spring MVC would choose, but without Spring MVC's
 * dispatch around them (handler lookup, content negotiation, argument resolution and
 * converter selection, each through generic type resolution). That machinery was a third
 * of the CPU of a 1 × 10 softmax and half of the JIT's work in the first seconds under
 * load. Only the plain case is taken: {@code POST} of a JSON body of known length up to
 * {@link #MAX_BODY_BYTES}, no query string, no {@code Origin} (CORS stays Spring MVC's),
 * an answer in JSON; or the same with a {@code .npz} body of up to
 * {@link #MAX_ARCHIVE_BYTES}, its scalar fields in the query string, answered as
 * {@code .npz}. If anything goes wrong before the answer is written (an invalid body, no
 * share of the work budget), the request goes on to Spring MVC with its body replayed,
 * and is answered the one way every failure is answered.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class DirectJsonDispatch extends OncePerRequestFilter implements SmartInitializingSingleton {

	/** JSON bodies up to this size are taken: the requests whose dispatch cost shows. */
	static final int MAX_BODY_BYTES = 64 * 1024;

	/**
	 * {@code .npz} bodies up to this size are taken. Binary requests cost less per byte,
	 * so the dispatch shows in larger ones: about a sixth of the CPU of a 256 KB softmax,
	 * less in a 2 MB cross-entropy. The body is held twice while it is read (once for a
	 * replay), so very large ones are left to Spring MVC.
	 */
	static final int MAX_ARCHIVE_BYTES = 4 * 1024 * 1024;

	private final RequestMappingHandlerMapping mapping;

	private final RequestMappingHandlerAdapter adapter;

	private final ComputeSlots slots;

	private Map<String, DirectRoute> routes = Map.of();

	DirectJsonDispatch(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
			RequestMappingHandlerAdapter adapter, ComputeSlots slots) {
		this.mapping = mapping;
		this.adapter = adapter;
		this.slots = slots;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, DirectRoute> found = new HashMap<>();
		this.mapping.getHandlerMethods().forEach((info, handler) -> {
			DirectRoute route = DirectRoute.of(info, handler, this.adapter.getMessageConverters());
			if (route != null) {
				found.put(route.path(), route);
			}
		});
		this.routes = Map.copyOf(found);
	}

	/**
	 * The paths answered directly.
	 * @return the paths
	 */
	Iterable<String> paths() {
		return this.routes.keySet();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		DirectRoute route = this.routes.get(request.getRequestURI());
		long length = request.getContentLengthLong();
		MediaType type = (route != null && length >= 0) ? plainType(request, length, route.npz() != null) : null;
		if (route == null || type == null) {
			chain.doFilter(request, response);
			return;
		}
		boolean json = type == MediaType.APPLICATION_JSON;
		HttpMessageConverter<Object> reader = json ? route.reader() : Objects.requireNonNull(route.npz());
		HttpMessageConverter<Object> writer = json ? route.writer() : Objects.requireNonNull(route.npz());
		ReplayedRequest body = ReplayedRequest.read(request, (int) length);
		Object answer = body.isWhole() ? answer(route, reader, type, body, request) : null;
		if (answer == null) {
			chain.doFilter(body, response);
			return;
		}
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(route.path()));
		writer.write(answer, type, new ServletServerHttpResponse(response));
	}

	/** The handler's answer, or {@code null} for Spring MVC to answer the request. */
	private @Nullable Object answer(DirectRoute route, HttpMessageConverter<Object> reader, MediaType type,
			ReplayedRequest body, HttpServletRequest request) {
		// The request in context, as under Spring MVC: a binary body's converter takes
		// its
		// scalar fields from the query parameters, and a Jacobian's reservation in the
		// work budget (WorkBudgetShare) finds the request there.
		RequestAttributes outer = RequestContextHolder.getRequestAttributes();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(body));
		try {
			Object command = reader.read(route.bodyType(), body.message(type));
			this.slots.acquire(request);
			Object answer = route.invoke(command);
			// The share now covers the answer until it has been written
			// (RequestBodyFilter
			// gives it back).
			this.slots.answering(request, answer);
			return answer;
		}
		catch (ServiceOverloadedException ex) {
			// Spring MVC answers 503 at once, without waiting for a share a second time.
			ComputeSlots.refuseAgain(request);
			this.slots.release(request);
			return null;
		}
		catch (Exception | OutOfMemoryError | StackOverflowError ex) {
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("Answering " + route.path() + " through Spring MVC after " + ex);
			}
			this.slots.release(request);
			return null;
		}
		finally {
			RequestContextHolder.setRequestAttributes(outer);
		}
	}

	/**
	 * The media type of a body the direct path takes, answered in the same type, from a
	 * client that is not a browser page on another origin: JSON (UTF-8 if it says) of up
	 * to {@link #MAX_BODY_BYTES} without a query string, or, where the route takes them,
	 * a {@code .npz} archive of up to {@link #MAX_ARCHIVE_BYTES} with its scalar fields
	 * in the query string.
	 * @return {@link MediaType#APPLICATION_JSON}, {@link NumpyMediaTypes#NPZ} or null
	 */
	private static @Nullable MediaType plainType(HttpServletRequest request, long length, boolean takesArchives) {
		if (!"POST".equals(request.getMethod()) || request.getHeader(HttpHeaders.ORIGIN) != null) {
			return null;
		}
		String contentType = request.getContentType();
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		boolean anyAnswer = accept == null || accept.equals("*/*");
		if (contentType == null) {
			return null;
		}
		if (contentType.equalsIgnoreCase(NumpyMediaTypes.NPZ_VALUE)) {
			boolean answersArchive = anyAnswer || accept.equals(NumpyMediaTypes.NPZ_VALUE);
			return (takesArchives && answersArchive && length <= MAX_ARCHIVE_BYTES) ? NumpyMediaTypes.NPZ : null;
		}
		boolean json = contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)
				|| contentType.equalsIgnoreCase("application/json;charset=utf-8")
				|| contentType.equalsIgnoreCase("application/json; charset=utf-8");
		boolean answersJson = anyAnswer || accept.equals(MediaType.APPLICATION_JSON_VALUE);
		return (json && answersJson && length <= MAX_BODY_BYTES && request.getQueryString() == null)
				? MediaType.APPLICATION_JSON : null;
	}

}
