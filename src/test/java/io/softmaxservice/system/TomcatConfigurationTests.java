package io.softmaxservice.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.StringJoiner;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector settings of {@link TomcatConfiguration} on a running service: large
 * bodies come from the socket through a 64 KiB buffer and answers go to it through a 32
 * KiB one, both arrive whole, and the connections those buffers live with are bounded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TomcatConfigurationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void socketBuffersAreSixtyFourKibibytesInThirtyTwoOutAndLargeBodiesAndAnswersArriveWhole() throws Exception {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Connector connector = server.getTomcat().getConnector();
		assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("32768");
		assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("65536");
		assertThat(connector.getProperty("maxConnections")).hasToString("2048");
		// A 300 x 300 Jacobian: about 2 MB of JSON, some sixty buffers; a body of some
		// thirty read buffers, mostly spaces, carries its 300 logits.
		StringJoiner logits = new StringJoiner(",", "{\"mode\": \"jacobian\", \"logits\": [", "]}");
		for (int i = 0; i < 300; i++) {
			logits.add(" ".repeat(6000) + (i % 17) * 0.25);
		}
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/softmax/grad"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(logits.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body().length()).isGreaterThan(1_000_000);
		JsonNode jacobian = JsonMapper.builder().build().readTree(response.body()).get("jacobian");
		assertThat(jacobian.size()).isEqualTo(300);
		assertThat(jacobian.get(299).size()).isEqualTo(300);
		assertThat(jacobian.get(299).get(5).asDouble()).isEqualTo(jacobian.get(5).get(299).asDouble()).isNegative();
	}

}
