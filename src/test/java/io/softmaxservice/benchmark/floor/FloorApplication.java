package io.softmaxservice.benchmark.floor;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The floor of the service's cost per request: Spring Boot's web stack alone (Tomcat,
 * Spring MVC, Jackson: what {@code spring-boot-starter-web} configures, without actuator,
 * metrics or springdoc) answering {@code POST /softmax} with a fixed body, written by
 * Jackson. Not part of the application: {@code src/test/bench/floor.py} runs it beside
 * the service under the same load and compares their CPU per request.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
		SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
		DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
		HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
		HttpEncodingAutoConfiguration.class, MultipartAutoConfiguration.class })
@Import(FloorApplication.FixedAnswer.class)
public class FloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(FloorApplication.class, args);
	}

	/** {@code POST /softmax}: always the same answer, whatever the body. */
	@RestController
	static class FixedAnswer {

		private static final Probabilities ANSWER = new Probabilities(
				List.of(List.of(0.0236, 0.0641, 0.1743, 0.0236, 0.0641, 0.1743, 0.0236, 0.0641, 0.1743, 0.2140)));

		@PostMapping(path = "/softmax", produces = MediaType.APPLICATION_JSON_VALUE)
		Probabilities softmax() {
			return ANSWER;
		}

	}

	/**
	 * The answer's shape, as the service writes it.
	 *
	 * @param probabilities one row of ten
	 */
	record Probabilities(List<List<Double>> probabilities) {

	}

}
