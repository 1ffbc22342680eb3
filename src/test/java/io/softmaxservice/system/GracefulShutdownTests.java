package io.softmaxservice.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.softmaxservice.SoftmaxServiceApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the service lets a request in flight finish, as configured in application.yaml
 * ({@code server.shutdown: graceful}).
 */
class GracefulShutdownTests {

	static final CountDownLatch started = new CountDownLatch(1);

	@Test
	void requestInFlightFinishesWhenTheServiceStops() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SoftmaxServiceApplication.class,
				SlowController.class)
			.run("--server.port=0");
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		HttpClient http = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/test/slow")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		context.close();
		HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("finished");
	}

	@RestController
	static class SlowController {

		@GetMapping("/test/slow")
		String slow() throws InterruptedException {
			started.countDown();
			Thread.sleep(1500);
			return "finished";
		}

	}

}
