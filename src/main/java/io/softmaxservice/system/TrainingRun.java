package io.softmaxservice.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The image build's training run ({@code --startup.training-run=true}): once the service
 * is ready it sends one request to each endpoint over HTTP and exits, so that the JVM
 * records in its class archive (JDK 17 AppCDS) or AOT cache (JDK 25) everything a start
 * and the first requests load. A failed request fails the image build. The property is
 * read when the service is ready, not as a condition on the bean, since Spring AOT (the
 * image runs with its generated bean definitions) settles conditions at build time.
 */
@Component
class TrainingRun {

	private static final Log log = LogFactory.getLog(TrainingRun.class);

	static final Map<String, String> REQUESTS = Map.of("/softmax", "{\"logits\": [[1, 2, 3], [1, 2, -Infinity]]}",
			"/softmax/grad", "{\"logits\": [[1, 2, 3]], \"grad_output\": [[1, 0, 0]]}", "/cross-entropy",
			"{\"logits\": [[8, -3, 10]], \"target\": [1], \"include_grad\": true}");

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		if (!event.getApplicationContext().getEnvironment().getProperty("startup.training-run", Boolean.class, false)) {
			return;
		}
		int status = 0;
		try {
			String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
			if (port != null) {
				for (int round = 0; round < 20; round++) {
					REQUESTS.forEach((path, body) -> post(URI.create("http://127.0.0.1:" + port + path), body));
				}
			}
			log.info("Training run done: exiting");
		}
		catch (RuntimeException ex) {
			log.error("Training run failed", ex);
			status = 1;
		}
		System.exit(Math.max(status, SpringApplication.exit(event.getApplicationContext())));
	}

	private static void post(URI uri, String body) {
		try {
			HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
			connection.setRequestMethod("POST");
			connection.setRequestProperty("Content-Type", "application/json");
			connection.setDoOutput(true);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body.getBytes(StandardCharsets.UTF_8));
			}
			int status = connection.getResponseCode();
			try (InputStream in = (status < 400) ? connection.getInputStream() : connection.getErrorStream()) {
				in.readAllBytes();
			}
			if (status != 200) {
				throw new IllegalStateException("POST " + uri.getPath() + " answered " + status);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
