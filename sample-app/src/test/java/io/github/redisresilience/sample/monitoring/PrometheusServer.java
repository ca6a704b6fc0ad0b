package io.github.redisresilience.sample.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code prometheus} server (Debian's binary) for one test: listens on loopback only,
 * scrapes one target every second, evaluates the given rule file every second, keeps its data in
 * a directory of its own that {@link #close()} removes after stopping the process by its PID.
 */
final class PrometheusServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final Path directory;

	private final URI base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private PrometheusServer(Process process, Path directory, URI base) {
		this.process = process;
		this.directory = directory;
		this.base = base;
	}

	/**
	 * Starts Prometheus and waits until it is ready.
	 * @param binary the {@code prometheus} executable
	 * @param target the {@code host:port} to scrape
	 * @param metricsPath the path to scrape
	 * @param rules the rule file to load
	 * @return the running server
	 */
	static PrometheusServer start(Path binary, String target, String metricsPath, Path rules) throws IOException {
		Path directory = Files.createTempDirectory("prometheus-it-");
		int port = freeLoopbackPort();
		String config = """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				rule_files:
				  - %s
				scrape_configs:
				  - job_name: sample
				    metrics_path: %s
				    static_configs:
				      - targets: ['%s']
				""".formatted(rules.toAbsolutePath(), metricsPath, target);
		Path configFile = directory.resolve("prometheus.yml");
		Files.writeString(configFile, config);
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, directory, URI.create("http://127.0.0.1:" + port));
		try {
			await("Prometheus ready").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> !process.isAlive() || server.ready());
			if (!process.isAlive()) {
				throw new IllegalStateException("Prometheus exited: " + server.log());
			}
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private boolean ready() {
		try {
			return get("/-/ready").statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The alerts Prometheus holds now, pending or firing.
	 * @return the alerts
	 */
	List<Alert> alerts() {
		List<Alert> alerts = new ArrayList<>();
		for (JsonNode alert : api("/api/v1/alerts").get("data").get("alerts")) {
			alerts.add(new Alert(alert.get("labels").get("alertname").asString(), alert.get("state").asString()));
		}
		return alerts;
	}

	/**
	 * Runs a range query.
	 * @param query the PromQL expression
	 * @param from the start
	 * @param to the end
	 * @return the {@code data.result} array (one entry per series)
	 */
	JsonNode queryRange(String query, Instant from, Instant to) {
		return api("/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start="
				+ from.getEpochSecond() + "&end=" + (to.getEpochSecond() + 1) + "&step=1").get("data").get("result");
	}

	/**
	 * Runs an instant query.
	 * @param query the PromQL expression
	 * @return the {@code data.result} array
	 */
	JsonNode query(String query) {
		return api("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).get("data").get("result");
	}

	/**
	 * Runs an instant query at a given time and reads its single value.
	 * @param query the PromQL expression, which must give at most one series
	 * @param at the evaluation time
	 * @return the value, or {@code NaN} when the query gives no series
	 */
	double valueAt(String query, Instant at) {
		JsonNode result = api("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time="
				+ (at.toEpochMilli() / 1000.0)).get("data").get("result");
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
	}

	private JsonNode api(String pathAndQuery) {
		try {
			HttpResponse<String> response = get(pathAndQuery);
			JsonNode body = JSON.readTree(response.body());
			if (response.statusCode() != 200 || !"success".equals(body.get("status").asString())) {
				throw new IllegalStateException(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
			}
			return body;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HttpResponse<String> get(String pathAndQuery) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	String log() {
		try {
			return Files.readString(this.directory.resolve("prometheus.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Stops the process by its PID (SIGTERM, then SIGKILL after 10 s) and removes its directory. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An alert as the alerts API shows it.
	 * @param name the alert's name
	 * @param state {@code pending} or {@code firing}
	 */
	record Alert(String name, String state) {
	}

}
