package io.softmaxservice.system;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.softmaxservice.system.SoftmaxProperties.Upload;
import io.softmaxservice.tensor.LargeArrays;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks a request body before the application reads it, and as it reads it. Refused up
 * front: a {@code Content-Length} over {@code softmax.limits.max-body-size} (413; a body
 * larger than {@code server.tomcat.max-swallow-size} is then left unread and its
 * connection closed, since Tomcat would otherwise read that much at the client's pace), a
 * {@code Content-Encoding} (415: bodies are sent uncompressed) and a charset other than
 * UTF-8 (415). While the body is read, {@link BodyInputStream} counts it, times it and
 * checks a JSON body's encoding.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyFilter extends OncePerRequestFilter {

	private static final String BODY = RequestBodyFilter.class.getName() + ".body";

	private final long maxBytes;

	private final Upload upload;

	private final long maxSwallowBytes;

	private final ComputeSlots slots;

	private final LargeArrays arrays;

	RequestBodyFilter(SoftmaxProperties properties,
			@Value("${server.tomcat.max-swallow-size:2MB}") DataSize maxSwallowSize, ComputeSlots slots,
			LargeArrays arrays) {
		this.slots = slots;
		this.arrays = arrays;
		this.maxBytes = properties.limits().maxBodySize().toBytes();
		this.upload = properties.upload();
		this.maxSwallowBytes = maxSwallowSize.toBytes();
	}

	/**
	 * The bytes of the request's body read so far, or its declared length if it was not
	 * read through this filter.
	 * @param request the request
	 * @return the size of its body
	 */
	static long bodyBytes(HttpServletRequest request) {
		if (request.getAttribute(BODY) instanceof BodyInputStream body) {
			return body.count();
		}
		return Math.max(0, request.getContentLengthLong());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		Refusal refusal = refusal(request);
		if (refusal != null) {
			if (request.getContentLengthLong() > this.maxSwallowBytes) {
				// Tomcat would drain this much of it, at the client's pace, before
				// closing.
				request.setAttribute(TomcatConfiguration.ABANDON_BODY, Boolean.TRUE);
			}
			ProblemWriter.write(response, refusal.type(), refusal.type().status().value(), refusal.detail(),
					request.getRequestURI());
			return;
		}
		// The request's large arrays are recycled once its answer has been written.
		try (LargeArrays.Lease lease = this.arrays.lease()) {
			chain.doFilter(new BodyRequest(request, start), response);
		}
		finally {
			// A body takes its share as it arrives, whoever reads it: whatever way the
			// request ends, the share goes back (normally it has gone back already).
			this.slots.release(request);
		}
	}

	private @Nullable Refusal refusal(HttpServletRequest request) {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBytes) {
			return new Refusal(ProblemType.PAYLOAD_TOO_LARGE, "The request body is " + declared
					+ " bytes, over the limit of " + this.maxBytes + " bytes; send a smaller body.");
		}
		String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
			return new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"The request body is encoded with '" + abbreviate(encoding.strip())
							+ "', which this service does not read; send it uncompressed, without Content-Encoding.");
		}
		String charset = charset(request.getContentType());
		if (charset != null && !"utf-8".equalsIgnoreCase(charset) && !"utf8".equalsIgnoreCase(charset)) {
			return new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"The request body's charset '" + abbreviate(charset) + "' is not supported; send it as UTF-8.");
		}
		return null;
	}

	/** The charset parameter as sent, unquoted; {@code null} if none. */
	private static @Nullable String charset(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		for (String parameter : contentType.split(";")) {
			int equals = parameter.indexOf('=');
			if (equals > 0 && "charset".equalsIgnoreCase(parameter.substring(0, equals).strip())) {
				return parameter.substring(equals + 1).strip().replace("\"", "");
			}
		}
		return null;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "...";
	}

	private static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return MediaType.APPLICATION_JSON.isCompatibleWith(type)
					|| (type.getSubtypeSuffix() != null && "json".equals(type.getSubtypeSuffix()));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private record Refusal(ProblemType type, String detail) {
	}

	private final class BodyRequest extends HttpServletRequestWrapper {

		private final long startNanos;

		private @Nullable ServletInputStream stream;

		BodyRequest(HttpServletRequest request, long startNanos) {
			super(request);
			this.startNanos = startNanos;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				HttpServletRequest request = (HttpServletRequest) getRequest();
				BodyInputStream body = new BodyInputStream(super.getInputStream(), RequestBodyFilter.this.maxBytes,
						RequestBodyFilter.this.upload, this.startNanos, isJson(getContentType()),
						getContentLengthLong(), (bytes) -> RequestBodyFilter.this.slots.reserve(request, bytes));
				setAttribute(BODY, body);
				this.stream = body;
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}
