package io.softmaxservice.system;

import java.io.IOException;

import io.softmaxservice.tensor.TensorLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces the request body limit, which Tomcat's own limits do not cover for JSON
 * bodies. The body's stream fails at its first read when {@code Content-Length} is over
 * the limit, and as soon as the bytes read go over it for a chunked body, so that no more
 * of it is read; the failure reaches {@link ProblemDetailsAdvice} as a 413.
 */
@EnableConfigurationProperties(TensorLimits.class)
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	BodySizeLimitFilter(TensorLimits limits) {
		this.maxBytes = limits.maxBodySize().toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), getContentLengthLong(), this.maxBytes);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long declaredLength;

		private final long maxBytes;

		private long count;

		LimitedInputStream(ServletInputStream delegate, long declaredLength, long maxBytes) {
			this.delegate = delegate;
			this.declaredLength = declaredLength;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			checkDeclaredLength();
			int b = this.delegate.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			checkDeclaredLength();
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void checkDeclaredLength() throws BodyTooLargeException {
			if (this.count == 0 && this.declaredLength > this.maxBytes) {
				throw tooLarge("is " + this.declaredLength + " bytes");
			}
		}

		private void count(int n) throws BodyTooLargeException {
			this.count += n;
			if (this.count > this.maxBytes) {
				throw tooLarge("has more than " + this.maxBytes + " bytes");
			}
		}

		private BodyTooLargeException tooLarge(String size) {
			return new BodyTooLargeException("The request body " + size + ", over the limit of " + this.maxBytes
					+ " bytes; send a smaller body.");
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
