package io.softmaxservice.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.catalina.LifecycleState;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends small requests of every endpoint through Tomcat on a private loopback connector
 * (port 0, removed again afterwards), so that the whole HTTP path (Tomcat, the filters,
 * Spring MVC, the JSON reader and writer, validation, the plain-Java kernels, the health
 * endpoint) is loaded, initialised and seen by the JIT before real requests: the first
 * round of requests through a cold JVM takes a few hundred milliseconds, which the first
 * client would otherwise wait for. Every request is sent at least once however long that
 * takes (the two clients share that first round), then more until the duration has
 * passed: by default 8 s, about what the JIT of a JVM without profiles (JDK 17,
 * {@code java -jar}) on two cores takes to compile the request path under this load, so
 * that the first seconds of real load are as fast as later ones; the container image,
 * whose AOT cache holds the training run's profiles, sets 300 ms. The service's port
 * opens, and readiness turns UP, once the first round is done and {@code before-port}
 * (300 ms) has passed: with the container's 300 ms that is the whole warm-up; with 8 s
 * the rest goes on after the port has opened instead of keeping {@code java -jar}'s first
 * client waiting for it (the request path is loaded and every kernel warm by then; what
 * remains is the JIT's). Spring Boot's Tomcat keeps the service's connectors removed
 * until the web server's lifecycle (phase {@link #WEB_SERVER_START_PHASE}) starts them;
 * this runs in an earlier phase. Set with {@code softmax.warmup.http.*} (read at start,
 * not as a bean condition, which Spring AOT would settle at build time); its requests
 * count in the metrics like any other.
 */
@Component
class HttpWarmup extends StartupStep {

	/**
	 * The phase of Spring Boot's {@code WebServerStartStopLifecycle}, which opens the
	 * service's connectors.
	 */
	static final int WEB_SERVER_START_PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;

	/** Before {@link Nd4jWarmup}'s, so that ND4J goes on loading while this runs. */
	static final int PHASE = WEB_SERVER_START_PHASE - 2;

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

	/**
	 * Two clients: with Tomcat's two worker threads and the JIT's compiler threads that
	 * keeps both cores of a small container busy.
	 */
	private static final int CLIENTS = 2;

	/** How long one request may take: the first ones, interpreted, take a while. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContext context;

	private final ObjectProvider<TomcatServletWebServerFactory> factory;

	private final Duration duration;

	private final Duration beforePort;

	private final int maxRounds;

	private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

	private final AtomicInteger failed = new AtomicInteger();

	/** Per exchange, 1 once a client has sent it. */
	private final AtomicIntegerArray sent = new AtomicIntegerArray(EXCHANGES.size());

	private final AtomicLong firstAnswered = new AtomicLong();

	private final AtomicInteger probed = new AtomicInteger();

	/** When the whole warm-up ends (its first round always completes before the port). */
	private volatile long deadline;

	private volatile long started;

	/** Set by the run before the port when the warm-up goes on after it. */
	private volatile boolean continues;

	/**
	 * Completes once the run after the port opened has ended and removed its connector.
	 */
	private volatile CompletableFuture<Void> afterPort = CompletableFuture.completedFuture(null);

	HttpWarmup(ApplicationContext context, ObjectProvider<TomcatServletWebServerFactory> factory,
			@Value("${softmax.warmup.http.enabled:true}") boolean enabled,
			@Value("${softmax.warmup.http.duration:8s}") Duration duration,
			@Value("${softmax.warmup.http.before-port:300ms}") Duration beforePort,
			@Value("${softmax.warmup.http.max-rounds:100000}") int maxRounds) {
		super(PHASE);
		this.context = context;
		this.factory = factory;
		this.duration = enabled ? duration : Duration.ZERO;
		this.beforePort = beforePort;
		this.maxRounds = maxRounds;
	}

	/** The warm-up before the port opens: its first round, then up to before-port. */
	@Override
	void run() {
		if (this.duration.isZero() || this.maxRounds <= 0 || service() == null) {
			return;
		}
		// A context whose lifecycle is stopped and started again warms up again: count
		// that run alone.
		this.answered.clear();
		this.failed.set(0);
		this.probed.set(0);
		this.firstAnswered.set(0);
		for (int i = 0; i < this.sent.length(); i++) {
			this.sent.set(i, 0);
		}
		this.started = System.nanoTime();
		this.deadline = this.started + this.duration.toNanos();
		long portOpens = this.started + Math.min(this.duration.toNanos(), this.beforePort.toNanos());
		try {
			warmUp(portOpens).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			log.warn("HTTP warm-up failed", ex.getCause());
		}
		this.continues = this.duration.compareTo(this.beforePort) > 0 && System.nanoTime() - this.deadline < 0;
		if (this.continues) {
			log.info("HTTP warm-up (" + this.duration.toMillis() + " ms): " + summary(" before the port opens")
					+ "; it goes on for " + (this.deadline - System.nanoTime()) / 1_000_000 + " ms after");
		}
		else {
			log.info("HTTP warm-up (" + this.duration.toMillis() + " ms): " + summary(" before the port opened"));
		}
	}

	/**
	 * The rest of the warm-up, in the background, once the web server has opened the
	 * service's port (and added its connectors back): on a connector added after the
	 * service's own, which Tomcat and Spring Boot take for the server's (its first), so
	 * that the server's port stays the service's. A management server's event, or a
	 * second one, finds nothing left to do.
	 */
	@EventListener
	void continueAfterPort(WebServerInitializedEvent event) {
		if (!this.continues) {
			return;
		}
		this.continues = false;
		this.afterPort = warmUp(this.deadline).handle((result, ex) -> {
			if (ex != null) {
				log.warn("HTTP warm-up failed", ex);
			}
			log.info("HTTP warm-up (" + this.duration.toMillis() + " ms) done: " + summary(""));
			return null;
		});
	}

	/** The service of the web server's Tomcat, or null without one. */
	private @Nullable Service service() {
		return (this.context instanceof WebServerApplicationContext web
				&& web.getWebServer() instanceof TomcatWebServer server) ? server.getTomcat().getService() : null;
	}

	/**
	 * Whether the run after the port opened is still going on (or its connector open).
	 */
	boolean isWarmingUp() {
		return !this.afterPort.isDone();
	}

	private String summary(String when) {
		int total = this.answered.values().stream().mapToInt(AtomicInteger::get).sum();
		long first = this.firstAnswered.get();
		return total + " requests answered in " + (System.nanoTime() - this.started) / 1_000_000 + " ms" + when
				+ ((first != 0) ? " (the first after " + (first - this.started) / 1_000_000 + " ms)" : "") + " and "
				+ this.probed.get() + " readiness probes (503)"
				+ ((this.failed.get() > 0) ? ", " + this.failed.get() + " failed" : "");
	}

	/**
	 * Sends the exchanges from two clients through a connector of its own until the
	 * deadline; the future completes once they are done and the connector is removed.
	 */
	private CompletableFuture<Void> warmUp(long deadline) {
		Service service = service();
		if (service == null) {
			return CompletableFuture.completedFuture(null);
		}
		Connector connector = privateConnector();
		service.addConnector(connector);
		if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
			log.warn("HTTP warm-up skipped: its loopback connector did not start");
			remove(service, connector);
			return CompletableFuture.completedFuture(null);
		}
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), connector.getLocalPort());
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS, (task) -> {
			Thread thread = new Thread(task, "http-warmup");
			thread.setDaemon(true);
			return thread;
		});
		CompletableFuture<?>[] clients = new CompletableFuture<?>[CLIENTS];
		for (int c = 0; c < CLIENTS; c++) {
			int first = c * EXCHANGES.size() / CLIENTS;
			clients[c] = CompletableFuture.runAsync(() -> send(address, deadline, first), pool);
		}
		return CompletableFuture.allOf(clients).whenComplete((result, ex) -> {
			pool.shutdown();
			remove(service, connector);
		});
	}

	private static void remove(Service service, Connector connector) {
		service.removeConnector(connector);
		try {
			connector.destroy();
		}
		catch (Exception ex) {
			log.debug("HTTP warm-up: its connector did not close cleanly", ex);
		}
	}

	/**
	 * A connector on an ephemeral loopback port, made like the service's own: same
	 * protocol, same customizers ({@code server.tomcat.*} and the service's own).
	 */
	private Connector privateConnector() {
		TomcatServletWebServerFactory factory = this.factory.getIfAvailable();
		Connector connector = new Connector(
				(factory != null) ? factory.getProtocol() : TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		if (factory != null) {
			factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
			LambdaSafe
				.callbacks(TomcatProtocolHandlerCustomizer.class, factory.getProtocolHandlerCustomizers(),
						connector.getProtocolHandler())
				.invoke((customizer) -> customizer.customize(connector.getProtocolHandler()));
		}
		connector.setPort(0);
		connector.setProperty("address", InetAddress.getLoopbackAddress().getHostAddress());
		connector.setProperty("bindOnInit", "false");
		return connector;
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

	/**
	 * Sends the exchanges round after round, starting at {@code first}, until, past the
	 * deadline, it comes to one that a client has sent already, or max-rounds. The
	 * clients start at different exchanges and each goes on to the next unsent one, so
	 * that they share the slow first round and every exchange is sent at least once.
	 */
	private void send(InetSocketAddress address, long deadline, int first) {
		@Nullable LoopbackClient client = null;
		try {
			client = probeReadiness(address);
			for (int round = 0; round < this.maxRounds; round++) {
				for (int i = 0; i < EXCHANGES.size(); i++) {
					int index = (first + i) % EXCHANGES.size();
					boolean unsent = this.sent.compareAndSet(index, 0, 1);
					if ((!unsent && System.nanoTime() > deadline) || Thread.currentThread().isInterrupted()) {
						return;
					}
					Exchange exchange = EXCHANGES.get(index);
					try {
						if (client == null || !client.isOpen()) {
							close(client);
							client = new LoopbackClient(address, REQUEST_TIMEOUT);
						}
						int status = client.exchange(client.post(exchange.path(), exchange.body()));
						if (status == 200) {
							this.firstAnswered.compareAndSet(0, System.nanoTime());
							this.answered.computeIfAbsent(exchange.path(), (p) -> new AtomicInteger())
								.incrementAndGet();
						}
						else if (this.failed.getAndIncrement() == 0) {
							log.warn("HTTP warm-up: " + exchange.path() + " answered " + status);
						}
					}
					catch (IOException | RuntimeException ex) {
						close(client);
						client = null;
						this.failed.incrementAndGet();
						if (!unsent) {
							// Sent before (its first time is what counts): a failure now
							// is most likely the service stopping, and ends this client.
							log.debug("HTTP warm-up: " + exchange.path() + " failed", ex);
							return;
						}
						log.warn("HTTP warm-up: " + exchange.path() + " failed: " + ex);
					}
				}
			}
		}
		finally {
			close(client);
		}
	}

	/**
	 * Asks for readiness once, which loads the health endpoint's path too, so that the
	 * first probe after the port opens is answered as fast as a request: 503 now, since
	 * the service is not ready yet (skipped when the actuator has a port of its own).
	 */
	private @Nullable LoopbackClient probeReadiness(InetSocketAddress address) {
		if (this.context.getEnvironment().getProperty("management.server.port") != null) {
			return null;
		}
		String path = this.context.getEnvironment().getProperty("management.endpoints.web.base-path", "/actuator")
				+ "/health/readiness";
		@Nullable LoopbackClient client = null;
		try {
			client = new LoopbackClient(address, REQUEST_TIMEOUT);
			int status = client.exchange(client.get(path));
			if (status == 503) {
				this.probed.incrementAndGet();
			}
			return client;
		}
		catch (IOException | RuntimeException ex) {
			close(client);
			log.debug("HTTP warm-up: " + path + " failed", ex);
			return null;
		}
	}

	/** Readiness probes answered with 503 (not ready) in the last run. */
	int probed() {
		return this.probed.get();
	}

	private static void close(@Nullable LoopbackClient client) {
		if (client != null) {
			try {
				client.close();
			}
			catch (IOException ex) {
				// nothing left to do with it
			}
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
