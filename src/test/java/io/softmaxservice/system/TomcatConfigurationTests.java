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
 * answers go to the socket through a 32 KiB buffer, and arrive whole.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TomcatConfigurationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void socketWriteBufferIsThirtyTwoKibibytesAndLargeAnswersArriveWhole() throws Exception {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Connector connector = server.getTomcat().getConnector();
		assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("32768");
		// A 300 x 300 Jacobian: about 2 MB of JSON, some sixty buffers.
		StringJoiner logits = new StringJoiner(",", "{\"mode\": \"jacobian\", \"logits\": [", "]}");
		for (int i = 0; i < 300; i++) {
			logits.add(String.valueOf((i % 17) * 0.25));
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
