package io.softmaxservice.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link LoadSheddingInterceptor}: permits are taken by POSTs, given back on completion,
 * and a request that cannot get one in time is shed.
 */
class LoadSheddingInterceptorTests {

	private final LoadSheddingInterceptor interceptor = new LoadSheddingInterceptor(
			new LoadLimits(1, Duration.ofMillis(10)));

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void requestOverTheLimitIsShedUntilAPermitIsReturned() throws Exception {
		MockHttpServletRequest first = post();
		assertThat(this.interceptor.preHandle(first, this.response, null)).isTrue();
		assertThatExceptionOfType(ServiceOverloadedException.class)
			.isThrownBy(() -> this.interceptor.preHandle(post(), this.response, null))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
		this.interceptor.afterCompletion(first, this.response, null, null);
		assertThat(this.interceptor.preHandle(post(), this.response, null)).isTrue();
	}

	@Test
	void permitIsReturnedOnlyOnce() throws Exception {
		MockHttpServletRequest first = post();
		this.interceptor.preHandle(first, this.response, null);
		this.interceptor.afterCompletion(first, this.response, null, null);
		this.interceptor.afterCompletion(first, this.response, null, null);
		assertThat(this.interceptor.preHandle(post(), this.response, null)).isTrue();
		assertThatExceptionOfType(ServiceOverloadedException.class)
			.isThrownBy(() -> this.interceptor.preHandle(post(), this.response, null));
	}

	@Test
	void otherMethodsTakeNoPermit() throws Exception {
		assertThat(this.interceptor.preHandle(new MockHttpServletRequest("GET", "/softmax"), this.response, null))
			.isTrue();
		assertThat(this.interceptor.preHandle(post(), this.response, null)).isTrue();
	}

	private static MockHttpServletRequest post() {
		return new MockHttpServletRequest("POST", "/softmax");
	}

}
