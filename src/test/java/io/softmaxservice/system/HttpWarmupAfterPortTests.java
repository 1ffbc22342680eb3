package io.softmaxservice.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.softmaxservice.SoftmaxServiceApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpWarmup} longer than {@code before-port}: the port opens, and readiness turns
 * UP, after the first round, and the rest of the warm-up goes on meanwhile on its own
 * connector, which it removes at the end; stopping the service ends it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "softmax.warmup.http.duration=6s", "softmax.warmup.http.before-port=0ms" })
class HttpWarmupAfterPortTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private HttpWarmup warmup;

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	@Test
	void warmUpLongerThanBeforePortGoesOnWhileThePortServesAndReadinessIsUp() throws Exception {
		assertThat(this.warmup.isWarmingUp()).isTrue();
		assertThat(connectors(this.context)).hasSize(2);
		assertThat(connectors(this.context)[0].getLocalPort()).isEqualTo(this.port);
		assertThat(((WebServerApplicationContext) this.context).getWebServer().getPort()).isEqualTo(this.port);
		assertThat(send(HttpRequest.newBuilder(uri("/softmax"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"logits\": [[1, 2, 3]]}"))
			.build())).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build())).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(uri("/v2/health/ready")).build())).isEqualTo(200);
		awaitEnd(this.warmup, Duration.ofSeconds(60));
		assertThat(connectors(this.context)).extracting(Connector::getLocalPort).containsExactly(this.port);
		assertThat(this.warmup.failed()).isZero();
		int answered = this.warmup.answered().values().stream().mapToInt(Integer::intValue).sum();
		assertThat(answered).isGreaterThan(2 * HttpWarmup.EXCHANGES.size());
	}

	@Test
	void warmUpGoesOnOnceAfterTheWebServerStartedAndEndsWhenTheServiceStops() throws Exception {
		ConfigurableApplicationContext other = new SpringApplicationBuilder(SoftmaxServiceApplication.class)
			.run("--server.port=0", "--softmax.warmup.http.duration=10m", "--softmax.warmup.http.before-port=0ms");
		HttpWarmup warmup = other.getBean(HttpWarmup.class);
		assertThat(warmup.isWarmingUp()).isTrue();
		WebServer server = ((WebServerApplicationContext) other).getWebServer();
		assertThat(connectors(other)).extracting(Connector::getLocalPort).hasSize(2).startsWith(server.getPort());
		// A second web server's event (a management server's) starts no second run.
		other.publishEvent(new WebServerInitializedEvent(server) {

			@Override
			public WebServerApplicationContext getApplicationContext() {
				return (WebServerApplicationContext) other;
			}

		});
		assertThat(connectors(other)).hasSize(2);
		other.close();
		awaitEnd(warmup, Duration.ofSeconds(30));
		assertThat(warmup.isWarmingUp()).isFalse();
	}

	private int send(HttpRequest request) throws Exception {
		return this.http.send(request, BodyHandlers.discarding()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static Connector[] connectors(ApplicationContext context) {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
		return server.getTomcat().getService().findConnectors();
	}

	private static void awaitEnd(HttpWarmup warmup, Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (warmup.isWarmingUp() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

}
