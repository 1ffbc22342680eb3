package io.softmaxservice.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests in {@code docker/kubernetes} agree with the application: the
 * probe and scrape paths answer, the ports are the server's, every environment variable
 * is one the entrypoint reads, and the grace period covers the graceful shutdown.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class KubernetesManifestsTests {

	private static final Path KUBERNETES = Path.of("docker", "kubernetes");

	private static final List<Path> WORKLOADS = List.of(KUBERNETES.resolve("base/deployment.yaml"),
			KUBERNETES.resolve("kserve/inferenceservice.yaml"));

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void probeAndScrapePathsAnswerWithUp() throws Exception {
		List<String> paths = new ArrayList<>();
		for (Path workload : WORKLOADS) {
			for (Map<String, Object> container : containers(workload)) {
				for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
					assertThat(container).as(workload + " " + probe).containsKey(probe);
					paths.add(string(container, probe, "httpGet", "path"));
				}
			}
		}
		assertThat(paths).contains("/actuator/health/readiness", "/actuator/health/liveness");
		for (String path : paths) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"UP\"");
		}
		for (Path workload : WORKLOADS) {
			String scrape = annotations(workload).entrySet()
				.stream()
				.filter((annotation) -> annotation.getKey().endsWith("/path"))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElseThrow();
			assertThat(get(scrape).statusCode()).as(workload + " scrape path").isEqualTo(200);
			assertThat(get(scrape).body()).contains("http_server_requests_seconds");
		}
	}

	@Test
	void portsAreTheServerPort() throws IOException {
		String serverPort = String.valueOf(applicationProperty("server.port", 8080));
		for (Path workload : WORKLOADS) {
			for (Map<String, Object> container : containers(workload)) {
				Map<String, Object> containerPort = list(container, "ports").get(0);
				assertThat(String.valueOf(containerPort.get("containerPort"))).as(workload.toString())
					.isEqualTo(serverPort);
				for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
					assertThat(string(container, probe, "httpGet", "port")).isIn(serverPort,
							String.valueOf(containerPort.get("name")));
				}
			}
			assertThat(annotations(workload)).as(workload.toString())
				.anySatisfy((name, value) -> assertThat(name + "=" + value).endsWith("/port=" + serverPort));
		}
		Map<String, Object> service = yaml(KUBERNETES.resolve("base/service.yaml")).get(0);
		Map<String, Object> servicePort = list(map(service, "spec"), "ports").get(0);
		Map<String, Object> containerPort = list(containers(WORKLOADS.get(0)).get(0), "ports").get(0);
		assertThat(servicePort.get("targetPort")).isEqualTo(containerPort.get("name"));
		assertThat(Files.readString(Path.of("docker", "Dockerfile"))).contains("EXPOSE " + serverPort)
			.contains("${SERVER_PORT:-" + serverPort + "}");
	}

	@Test
	void everyEnvironmentVariableIsReadByTheEntrypoint() throws IOException {
		String entrypoint = Files.readString(Path.of("docker", "entrypoint.sh"));
		for (Path workload : WORKLOADS) {
			for (Map<String, Object> container : containers(workload)) {
				List<Map<String, Object>> env = list(container, "env");
				assertThat(env).extracting((variable) -> variable.get("name"))
					.as(workload.toString())
					.contains("CPU_LIMIT", "MEMORY_LIMIT");
				for (Map<String, Object> variable : env) {
					assertThat(entrypoint).as(workload + " " + variable.get("name"))
						.contains("${" + variable.get("name") + ":-");
				}
			}
		}
	}

	@Test
	void gracePeriodCoversPreStopAndGracefulShutdown() throws IOException {
		assertThat(applicationProperty("server.shutdown", "immediate")).isEqualTo("graceful");
		Duration shutdown = DurationStyle
			.detectAndParse(String.valueOf(applicationProperty("spring.lifecycle.timeout-per-shutdown-phase", "30s")));
		for (Path workload : WORKLOADS) {
			Map<String, Object> pod = pod(workload);
			for (Map<String, Object> container : containers(workload)) {
				List<?> command = (List<?>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command");
				assertThat(command.get(0)).isEqualTo("sleep");
				long preStop = Long.parseLong(String.valueOf(command.get(1)));
				assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue()).as(workload.toString())
					.isGreaterThan(preStop + shutdown.toSeconds());
			}
		}
	}

	@Test
	void runsAsTheImageUserOnAReadOnlyRootFilesystem() throws IOException {
		String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
		for (Path workload : WORKLOADS) {
			Map<String, Object> podSecurity = map(pod(workload), "securityContext");
			assertThat(podSecurity).containsEntry("runAsNonRoot", true);
			assertThat(dockerfile).contains("--uid " + podSecurity.get("runAsUser"));
			for (Map<String, Object> container : containers(workload)) {
				assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
					.containsEntry("allowPrivilegeEscalation", false);
				assertThat(list(container, "volumeMounts")).extracting((mount) -> mount.get("mountPath"))
					.containsExactly("/tmp");
			}
		}
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static Object applicationProperty(String name, Object fallback) throws IOException {
		for (PropertySource<?> source : new YamlPropertySourceLoader().load("application",
				new ClassPathResource("application.yaml"))) {
			if (source.containsProperty(name)) {
				return source.getProperty(name);
			}
		}
		return fallback;
	}

	/**
	 * The pod spec: a Deployment's template, or a KServe InferenceService's predictor.
	 */
	private static Map<String, Object> pod(Path workload) throws IOException {
		Map<String, Object> spec = map(yaml(workload).get(0), "spec");
		return spec.containsKey("predictor") ? map(spec, "predictor") : map(map(spec, "template"), "spec");
	}

	private static Map<String, String> annotations(Path workload) throws IOException {
		Map<String, Object> object = yaml(workload).get(0);
		Map<String, Object> spec = map(object, "spec");
		Map<String, Object> metadata = spec.containsKey("template") ? map(map(spec, "template"), "metadata")
				: map(object, "metadata");
		@SuppressWarnings("unchecked")
		Map<String, String> annotations = (Map<String, String>) metadata.get("annotations");
		return annotations;
	}

	private static List<Map<String, Object>> containers(Path workload) throws IOException {
		return list(pod(workload), "containers");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> yaml(Path path) throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		new Yaml().loadAll(Files.readString(path)).forEach((document) -> documents.add((Map<String, Object>) document));
		return documents;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (List<Map<String, Object>>) parent.get(key);
	}

	private static String string(Map<String, Object> container, String... keys) {
		Map<String, Object> current = container;
		for (int i = 0; i < keys.length - 1; i++) {
			current = map(current, keys[i]);
		}
		return String.valueOf(current.get(keys[keys.length - 1]));
	}

}
