package io.softmaxservice.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Cross-origin requests from the browser origins in {@code softmax.cors.allowed-origins},
 * to every path; off when that list is empty (the default). A request from another origin
 * is refused with a 403 problem detail.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
class CrossOriginConfiguration {

	@Bean
	FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties, JsonMapper json) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(properties.allowedOrigins());
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST"));
		cors.addAllowedHeader(CorsConfiguration.ALL);
		cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, "Inference-Header-Content-Length"));
		cors.setMaxAge(Duration.ofHours(1));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new ProblemCorsProcessor(json));
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.setEnabled(!properties.allowedOrigins().isEmpty());
		return registration;
	}

	/**
	 * Answers a refused cross-origin request with a problem detail instead of Spring's
	 * plain-text body.
	 */
	private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

		private final JsonMapper json;

		ProblemCorsProcessor(JsonMapper json) {
			this.json = json;
		}

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			ProblemType type = ProblemType.ORIGIN_NOT_ALLOWED;
			Map<String, Object> problem = new LinkedHashMap<>();
			problem.put("type", type.type().toString());
			problem.put("title", type.title());
			problem.put("status", type.status().value());
			problem.put("detail", "This origin may not call the service from a browser; "
					+ "list it in softmax.cors.allowed-origins.");
			response.setStatusCode(type.status());
			response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			response.getBody().write(this.json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8));
			response.flush();
		}

	}

}
