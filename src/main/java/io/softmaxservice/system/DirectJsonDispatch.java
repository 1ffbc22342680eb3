package io.softmaxservice.system;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
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
 * an answer in JSON. If anything goes wrong before the answer is written (an invalid
 * body, no share of the work budget), the request goes on to Spring MVC with its body
 * replayed, and is answered the one way every failure is answered.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class DirectJsonDispatch extends OncePerRequestFilter implements SmartInitializingSingleton {

	/** Bodies up to this size are taken: the requests whose dispatch cost shows. */
	static final int MAX_BODY_BYTES = 64 * 1024;

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
		if (route == null || length < 0 || length > MAX_BODY_BYTES || !isPlain(request)) {
			chain.doFilter(request, response);
			return;
		}
		ReplayedRequest body = ReplayedRequest.read(request, (int) length);
		Object answer = body.isWhole() ? answer(route, body, request) : null;
		if (answer == null) {
			chain.doFilter(body, response);
			return;
		}
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(route.path()));
		route.writer().write(answer, MediaType.APPLICATION_JSON, new ServletServerHttpResponse(response));
	}

	/** The handler's answer, or {@code null} for Spring MVC to answer the request. */
	private @Nullable Object answer(DirectRoute route, ReplayedRequest body, HttpServletRequest request) {
		try {
			Object command = route.reader().read(route.bodyType(), body.message());
			this.slots.acquire(request);
			return route.invoke(command);
		}
		catch (ServiceOverloadedException ex) {
			// Spring MVC answers 503 at once, without waiting for a share a second time.
			ComputeSlots.refuseAgain(request);
			return null;
		}
		catch (Exception | OutOfMemoryError | StackOverflowError ex) {
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("Answering " + route.path() + " through Spring MVC after " + ex);
			}
			return null;
		}
		finally {
			this.slots.release(request);
		}
	}

	/**
	 * A JSON body, UTF-8 if it says, to be answered in JSON, from a client that is not a
	 * browser page on another origin.
	 */
	private static boolean isPlain(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || request.getQueryString() != null
				|| request.getHeader(HttpHeaders.ORIGIN) != null) {
			return false;
		}
		String contentType = request.getContentType();
		if (contentType == null || !(contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)
				|| contentType.equalsIgnoreCase("application/json;charset=utf-8")
				|| contentType.equalsIgnoreCase("application/json; charset=utf-8"))) {
			return false;
		}
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return accept == null || accept.equals(MediaType.APPLICATION_JSON_VALUE) || accept.equals("*/*");
	}

}
