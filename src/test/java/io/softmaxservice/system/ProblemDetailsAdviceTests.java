package io.softmaxservice.system;

import java.time.Duration;

import io.softmaxservice.tensor.TensorLimits;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problem details the HTTP tests cannot easily provoke: load shedding and a failure of
 * the service itself.
 */
class ProblemDetailsAdviceTests {

	private final ProblemDetailsAdvice advice = new ProblemDetailsAdvice(
			new SoftmaxProperties(new TensorLimits(DataSize.ofMegabytes(1), 100),
					new SoftmaxProperties.Load(DataSize.ofBytes(100), Duration.ofMillis(10), Duration.ofSeconds(7), 0),
					new SoftmaxProperties.Upload(Duration.ofSeconds(1), DataSize.ofKilobytes(1))));

	@Test
	void overloadIs503WithRetryAfter() {
		ResponseEntity<Object> response = this.advice
			.handleOverloaded(new ServiceOverloadedException(Duration.ofSeconds(1)));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(((ProblemDetail) response.getBody()).getType().toString())
			.isEqualTo("urn:softmax-service:problem:overloaded");
	}

	@Test
	void requestThatDoesNotFitInTheHeapIs503WithRetryAfter() {
		ResponseEntity<Object> response = this.advice
			.handleUnexpected(new ServletException("Handler dispatch failed", new OutOfMemoryError("Java heap space")));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("7");
		ProblemDetail problem = (ProblemDetail) response.getBody();
		assertThat(problem.getType().toString()).isEqualTo("urn:softmax-service:problem:overloaded");
		assertThat(problem.getDetail()).doesNotContain("heap", "OutOfMemoryError");
	}

	@Test
	void unexpectedFailureIs500WithoutInternals() {
		ResponseEntity<Object> response = this.advice
			.handleUnexpected(new IllegalStateException("secret /internal/path in io.softmaxservice.Foo"));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		ProblemDetail problem = (ProblemDetail) response.getBody();
		assertThat(problem.getDetail()).doesNotContain("secret", "IllegalStateException", "io.softmaxservice");
		assertThat(problem.getType().toString()).isEqualTo("urn:softmax-service:problem:internal-error");
	}

}
