package io.softmaxservice.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Marks every answer {@code X-Content-Type-Options: nosniff} (a browser must not guess
 * another type than the one sent), and every answer but Swagger UI's static files
 * {@code Cache-Control: no-store}: computed answers are not to be kept by caches.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ResponseHeadersFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("X-Content-Type-Options", "nosniff");
		String path = request.getRequestURI();
		if (!path.startsWith("/swagger-ui/") && !path.startsWith("/webjars/")) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		}
		chain.doFilter(request, response);
	}

}
