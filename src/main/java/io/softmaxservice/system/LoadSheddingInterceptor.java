package io.softmaxservice.system;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds the computations in flight, so that a burst of large requests queues briefly and
 * is then shed with 503 and {@code Retry-After} instead of exhausting memory. Every
 * {@code POST} endpoint takes a permit before its body is read and gives it back when the
 * response is complete.
 */
@Component
@EnableConfigurationProperties(LoadLimits.class)
class LoadSheddingInterceptor implements HandlerInterceptor, WebMvcConfigurer {

	private static final String PERMIT = LoadSheddingInterceptor.class.getName() + ".permit";

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final Semaphore permits;

	private final long queueTimeoutNanos;

	LoadSheddingInterceptor(LoadLimits limits) {
		this.permits = new Semaphore(limits.permits(), true);
		this.queueTimeoutNanos = limits.queueTimeout().toNanos();
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/softmax", "/softmax/grad", "/cross-entropy");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws InterruptedException {
		if (!"POST".equals(request.getMethod())) {
			return true;
		}
		if (!this.permits.tryAcquire(this.queueTimeoutNanos, TimeUnit.NANOSECONDS)) {
			throw new ServiceOverloadedException(RETRY_AFTER);
		}
		request.setAttribute(PERMIT, Boolean.TRUE);
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (request.getAttribute(PERMIT) != null) {
			request.removeAttribute(PERMIT);
			this.permits.release();
		}
	}

}
