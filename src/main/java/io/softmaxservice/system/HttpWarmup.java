package io.softmaxservice.system;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Before the service reports ready, sends small requests of every endpoint to its own
 * port for about a second, so that the JIT has compiled the whole HTTP path (Tomcat,
 * Spring MVC, Jackson, validation, the plain-Java kernels) before the first real request:
 * without it the first seconds under load cost twice the CPU per request of later ones.
 * Set with {@code softmax.warmup.http.*}; its requests count in the metrics like any
 * other.
 */
@Component
@ConditionalOnBooleanProperty(name = "softmax.warmup.http.enabled", matchIfMissing = true)
class HttpWarmup implements ApplicationRunner {

	/** What is sent, round after round: every endpoint, its main options, both dtypes. */
	static final List<Exchange> EXCHANGES = List.of(
			new Exchange("/softmax", "{\"logits\": [[0.5, -1.25, 3.0, 0.0, 2.2, -0.7, 1.1, 0.3, -2.4, 1.9]]}"),
			new Exchange("/softmax",
					"{\"logits\": [[1, 2, 3], [1, -Infinity, 0]], \"temperature\": 0.5, \"log\": true}"),
			new Exchange("/softmax", "{\"logits\": [0.1, 0.2, 0.3], \"axis\": 0, \"dtype\": \"float32\"}"),
			new Exchange("/softmax/grad", "{\"logits\": [[1, 2, 3]], \"grad_output\": [[1, 0, 0]]}"),
			new Exchange("/softmax/grad",
					"{\"probabilities\": [[0.25, 0.75]], \"grad_output\": [[1, 2]], \"log\": true}"),
			new Exchange("/softmax/grad", "{\"logits\": [[1, 2, 3], [0, 0, 5]], \"mode\": \"jacobian\"}"),
			new Exchange("/cross-entropy", "{\"logits\": [[8, -3, 10]], \"target\": [1], \"include_grad\": true}"),
			new Exchange("/cross-entropy", "{\"logits\": [[1, 2, 3], [1, 1, 1]], "
					+ "\"target\": [[0.1, 0.2, 0.7], [1, 0, 0]], \"reduction\": \"none\"}"));

	private static final Log log = LogFactory.getLog(HttpWarmup.class);

	private static final int CLIENTS = 2;

	private final ApplicationContext context;

	private final Duration duration;

	private final int maxRounds;

	private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

	private final AtomicInteger failed = new AtomicInteger();

	HttpWarmup(ApplicationContext context, @Value("${softmax.warmup.http.duration:1s}") Duration duration,
			@Value("${softmax.warmup.http.max-rounds:500}") int maxRounds) {
		this.context = context;
		this.duration = duration;
		this.maxRounds = maxRounds;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		if (!(this.context instanceof WebServerApplicationContext web) || web.getWebServer() == null
				|| web.getWebServer().getPort() <= 0 || this.duration.isZero()) {
			return;
		}
		URI base = URI.create("http://" + host() + ":" + web.getWebServer().getPort());
		long start = System.nanoTime();
		long deadline = start + this.duration.toNanos();
		// The clients' threads block in send(); the HttpClient needs threads of its own.
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		ExecutorService io = Executors.newCachedThreadPool();
		try {
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(this.duration)
				.executor(io)
				.build();
			List<Future<?>> clients = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				clients.add(pool.submit(() -> send(client, base, deadline)));
			}
			for (Future<?> c : clients) {
				c.get();
			}
		}
		finally {
			pool.shutdownNow();
			io.shutdownNow();
		}
		int total = this.answered.values().stream().mapToInt(AtomicInteger::get).sum();
		log.info("HTTP warm-up: " + total + " requests answered in " + (System.nanoTime() - start) / 1_000_000 + " ms"
				+ ((this.failed.get() > 0) ? ", " + this.failed.get() + " failed" : ""));
	}

	/** Requests answered with 200, by path, in the last run. */
	Map<String, Integer> answered() {
		return this.answered.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (e) -> e.getValue().get()));
	}

	/** Requests that failed or were not answered with 200 in the last run. */
	int failed() {
		return this.failed.get();
	}

	private Void send(HttpClient client, URI base, long deadline) {
		for (int round = 0; round < this.maxRounds; round++) {
			for (Exchange exchange : EXCHANGES) {
				if (System.nanoTime() > deadline) {
					return null;
				}
				HttpRequest request = HttpRequest.newBuilder(base.resolve(exchange.path()))
					.timeout(this.duration)
					.header("Content-Type", "application/json")
					.header("Accept", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(exchange.body()))
					.build();
				try {
					HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() == 200) {
						this.answered.computeIfAbsent(exchange.path(), (p) -> new AtomicInteger()).incrementAndGet();
					}
					else if (this.failed.getAndIncrement() == 0) {
						log.warn("HTTP warm-up: " + exchange.path() + " answered " + response.statusCode());
					}
				}
				catch (Exception ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
						return null;
					}
					if (this.failed.getAndIncrement() == 0) {
						log.warn("HTTP warm-up: " + exchange.path() + " failed: " + ex);
					}
				}
			}
		}
		return null;
	}

	/** The address the server listens on, or loopback when it listens on every one. */
	private String host() {
		String address = this.context.getEnvironment().getProperty("server.address");
		if (address == null || address.isBlank()) {
			return "127.0.0.1";
		}
		try {
			InetAddress inet = InetAddress.getByName(address);
			if (inet.isAnyLocalAddress()) {
				return "127.0.0.1";
			}
			String host = inet.getHostAddress();
			return (host.indexOf(':') >= 0) ? "[" + host + "]" : host;
		}
		catch (UnknownHostException ex) {
			return "127.0.0.1";
		}
	}

	/**
	 * One request of the warm-up.
	 *
	 * @param path the endpoint
	 * @param body its JSON body
	 */
	record Exchange(String path, String body) {

	}

}
