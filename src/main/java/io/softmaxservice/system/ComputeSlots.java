package io.softmaxservice.system;

import java.lang.reflect.Type;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

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
 * {@code Retry-After}, while small requests pass. A small body takes its share once it is
 * read and bound (whatever message converter read it), a large one while it arrives
 * ({@link BodyInputStream}), a compressed archive also for what it inflates to
 * ({@link WorkBudgetShare}); before its answer is written the share grows to cover the
 * answer too (a Jacobian's is far larger than its body), and goes back once the answer
 * has been written, or when the request completes in any other way: answers waiting for
 * clients that do not read them stay within the budget (80 such clients of 16 MB answers
 * used to fill a 1 GiB heap).
 */
@ControllerAdvice
@Import({ ComputeTurns.class, WorkBudgetShare.class })
class ComputeSlots extends RequestBodyAdviceAdapter
		implements ResponseBodyAdvice<Object>, HandlerInterceptor, WebMvcConfigurer {

	/**
	 * Answers of up to this many bytes (as doubles) do not grow the request's share: a
	 * TCP connection's send and receive buffers take them whole, so their writing never
	 * waits for the client.
	 */
	static final long SMALL_ANSWER_BYTES = 256 * 1024;

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
	 * beyond it, waiting up to the queue timeout; nothing more if it holds that much.
	 * @param request a request whose body has been read
	 * @param decodedBytes the memory its reader fills beyond the body
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void acquire(HttpServletRequest request, long decodedBytes) {
		reserve(request, RequestBodyFilter.bodyBytes(request) + decodedBytes);
	}

	/**
	 * Grows the share of a request whose memory is already filled to cover this many
	 * bytes more than its body (at most the whole budget): what its reader is about to
	 * decode, or its result. Unlike {@link #reserve}, what does not fit at once is waited
	 * for holding the share held so far (but not the turn): the body it covers stays in
	 * memory while the request waits, and other requests must not take its room. A
	 * request refused once is refused again at once.
	 * @param request a request whose body has been read
	 * @param bytes the memory about to be filled beyond the body
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void grow(HttpServletRequest request, long bytes) {
		growTo(request, RequestBodyFilter.bodyBytes(request) + bytes);
	}

	/**
	 * Grows the request's share to this many bytes in all, as {@link #grow} does.
	 * @param request the request
	 * @param bytes what its share should cover
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void growTo(HttpServletRequest request, long bytes) {
		take(request, bytes, true);
	}

	/**
	 * Grows the request's share to cover this many bytes (at most the whole budget). What
	 * does not fit at once is waited for, up to the queue timeout, holding neither a turn
	 * nor the share held so far: requests that each hold part of the budget never wait
	 * for each other. A request refused once is refused again at once.
	 * @param request the request
	 * @param bytes what its share should cover
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	void reserve(HttpServletRequest request, long bytes) {
		take(request, bytes, false);
	}

	/**
	 * Grows the request's share to cover this many bytes, waiting for what does not fit
	 * at once either holding the share it has ({@link #grow}) or holding nothing
	 * ({@link #reserve}); never holding its turn.
	 */
	private void take(HttpServletRequest request, long bytes, boolean holdWhileWaiting) {
		long held = (request.getAttribute(SHARE) instanceof Long share) ? share : 0;
		long share = this.budget.share(bytes);
		if (share <= held) {
			return;
		}
		if (request.getAttribute(REFUSED) != null) {
			throw new ServiceOverloadedException(this.retryAfter);
		}
		try {
			if (!this.budget.tryAcquire(share - held, 0)) {
				long wanted = share - held;
				if (holdWhileWaiting) {
					this.turns.giveBack(request);
				}
				else {
					release(request);
					wanted = share;
				}
				if (!this.budget.tryAcquire(wanted, this.queueTimeoutNanos)) {
					refuseAgain(request);
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

	/**
	 * Before a computed answer is written: gives back the request's turn (its computing
	 * is done) and grows its share to cover the answer, which it then holds until the
	 * answer has been written ({@link RequestBodyFilter}, or {@link #afterCompletion}):
	 * answers that wait for clients that read them slowly, or not at all, stay within the
	 * budget, and cannot fill the heap. An answer that does not fit in time is not
	 * written: the request is refused, as one whose body did not fit. A small answer (up
	 * to {@link #SMALL_ANSWER_BYTES}) keeps the share it has: the socket's buffers take
	 * it whole, so it never waits for its client.
	 * @param request the request
	 * @param answer what is about to be written
	 * @throws ServiceOverloadedException if the answer's share did not fit in time
	 */
	void answering(HttpServletRequest request, @Nullable Object answer) {
		this.turns.giveBack(request);
		long bytes = AnswerBytes.of(answer);
		if (bytes > SMALL_ANSWER_BYTES) {
			growTo(request, bytes);
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
			answering(servlet.getServletRequest(), body);
		}
		else if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			answering(attributes.getRequest(), body);
		}
		return body;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		release(request);
	}

}
