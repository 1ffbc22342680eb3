package io.softmaxservice.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser origins may call the service ({@code softmax.cors.*}): none by default,
 * so that only same-origin pages (Swagger UI served by the service itself) and
 * non-browser clients can.
 *
 * @param allowedOrigins origins such as {@code https://app.example.org}, or patterns such
 * as {@code https://*.example.org}; empty turns CORS off
 */
@ConfigurationProperties("softmax.cors")
record CorsProperties(@DefaultValue List<String> allowedOrigins) {
}
