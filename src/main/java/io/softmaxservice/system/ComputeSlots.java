package io.softmaxservice.system;

import java.lang.reflect.Type;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Bounds the work computed at once with a {@link WorkBudget} of request body bytes, so
 * that a burst of large requests queues briefly and is then shed with 503 and
 * {@code Retry-After}, while small requests pass. A request takes its share only once its
 * body is fully read and bound (whatever message converter read it), or, for a compressed
 * archive, once it is read and before it is inflated ({@link DecodingBudget}), and gives
 * it back before its answer is written, or when it completes in any other way: a client
 * that uploads slowly, or does not read its answer, holds no share.
 */
@ControllerAdvice
@Import({ ComputeTurns.class, DecodingBudget.class })
class ComputeSlots extends RequestBodyAdviceAdapter
		implements ResponseBodyAdvice<Object>, HandlerInterceptor, WebMvcConfigurer {

	private static final String SHARE = ComputeSlots.class.getName() + ".share";

	private static final String REFUSED = ComputeSlots.class.getName() + ".refused";

	private final WorkBudget budget;

	private final long queueTimeoutNanos;

	private final Duration retryAfter;

	private final ComputeTurns turns;

	ComputeSlots(SoftmaxProperties properties, ComputeTurns turns) {
		this.turns = turns;
		this.budget = new WorkBudget(properties.load().workBudget().toBytes());
		this.queueTimeoutNanos = properties.load().queueTimeout().toNanos();
		this.retryAfter = properties.load().retryAfterSeconds();
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this);
	}

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		acquire(((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest());
		return body;
	}

	/**
	 * Takes the request's share of the budget, waiting up to the queue timeout.
	 * @param request a request whose body has been read
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void acquire(HttpServletRequest request) {
		acquire(request, 0);
	}

	/**
	 * Takes the request's share of the budget for its body and what its reader decodes
	 * beyond it, waiting up to the queue timeout; nothing if it holds a share already.
	 * @param request a request whose body has been read
	 * @param decodedBytes the memory its reader fills beyond the body
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void acquire(HttpServletRequest request, long decodedBytes) {
		if (request.getAttribute(SHARE) != null) {
			return;
		}
		if (request.getAttribute(REFUSED) != null) {
			throw new ServiceOverloadedException(this.retryAfter);
		}
		long share = this.budget.share(RequestBodyFilter.bodyBytes(request) + decodedBytes);
		try {
			if (!this.budget.tryAcquire(share, 0)) {
				// Wait for the budget without holding a turn other small requests could
				// use.
				this.turns.giveBack(request);
				if (!this.budget.tryAcquire(share, this.queueTimeoutNanos)) {
					throw new ServiceOverloadedException(this.retryAfter);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServiceOverloadedException(this.retryAfter);
		}
		request.setAttribute(SHARE, share);
	}

	/**
	 * Marks a request refused a share, so that asking again refuses it at once instead of
	 * waiting a second time.
	 * @param request the request
	 */
	static void refuseAgain(HttpServletRequest request) {
		request.setAttribute(REFUSED, Boolean.TRUE);
	}

	/**
	 * Gives the request's share back, if it holds one.
	 * @param request the request
	 */
	void release(HttpServletRequest request) {
		this.turns.giveBack(request);
		if (request.getAttribute(SHARE) instanceof Long share) {
			request.removeAttribute(SHARE);
			this.budget.release(share);
		}
	}

	long inFlight() {
		return this.budget.inFlight();
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
			Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (request instanceof ServletServerHttpRequest servlet) {
			release(servlet.getServletRequest());
		}
		else if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			release(attributes.getRequest());
		}
		return body;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		release(request);
	}

}
