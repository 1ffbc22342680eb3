package io.softmaxservice.benchmark;

import io.softmaxservice.SoftmaxServiceApplication;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.softmax.SoftmaxResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application context the benchmarks start, without a web server, starts and holds
 * what they take from it: the kernels and the JSON converters. A bean that needs Spring
 * MVC's web beans broke every benchmark once, and no test noticed.
 */
class BenchmarkContextTests {

	@Test
	void contextWithoutWebServerHasTheKernelsAndConverters() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SoftmaxServiceApplication.class)
			.web(WebApplicationType.NONE)
			.run("--logging.level.root=warn", "--spring.main.banner-mode=off")) {
			assertThat(context.getBeanProvider(SoftmaxKernel.class).getIfAvailable()).isNotNull();
			assertThat(context.getBeansOfType(HttpMessageConverter.class).values())
				.anyMatch((converter) -> converter.canRead(SoftmaxRequest.class, MediaType.APPLICATION_JSON))
				.anyMatch((converter) -> converter.canWrite(SoftmaxResponse.class, MediaType.APPLICATION_JSON));
		}
	}

}
