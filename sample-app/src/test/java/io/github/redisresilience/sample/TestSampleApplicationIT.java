package io.github.redisresilience.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a person runs it ({@code ./mvnw -Psample ...} starts {@link TestSampleApplication}):
 * in a JVM of its own, with the traffic generator on, until it is stopped by a signal as Ctrl+C
 * stops it. The endpoint the README shows must answer, and stopping must stop the application
 * while the cluster still answers, then the cluster, with nothing logged at WARN or above.
 * <p>
 * The signal is SIGTERM (what {@link Process#destroy()} sends, as Kubernetes does); the JVM runs
 * the same shutdown hooks for it as for Ctrl+C's SIGINT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestSampleApplicationIT {

	private static final Path LOG = Path.of(System.getProperty("basedir", "."))
		.toAbsolutePath()
		.resolve("target/test-sample-application.log");

	private static final Pattern STATUS_PAGE = Pattern.compile("Status page: (http://localhost:\\d+/)");

	/** A log line at WARN or ERROR in Boot's console format, or a stack trace. */
	private static final Pattern TROUBLE = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\b|^\\s+at \\S+\\(|Exception");

	private static Process application;

	private static String url;

	@BeforeAll
	static void startTheSampleAsAPersonDoes() throws IOException {
		Files.createDirectories(LOG.getParent());
		application = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// The kit publishes its names in the hosts file this build's test JVMs read.
				"-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file", ""), "-Dsun.net.inetaddr.ttl=0",
				"-cp", System.getProperty("java.class.path"), TestSampleApplication.class.getName(), "--server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(LOG.toFile())
			.start();
		await("the status page's address in the output").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> STATUS_PAGE.matcher(output()).find() || !application.isAlive());
		Matcher matcher = STATUS_PAGE.matcher(output());
		assertThat(matcher.find()).as("the sample's output:%n%s", output()).isTrue();
		url = matcher.group(1);
	}

	@AfterAll
	static void stopWhatIsLeft() throws InterruptedException {
		if (application != null && application.isAlive()) {
			application.descendants().forEach(ProcessHandle::destroyForcibly);
			application.destroyForcibly();
			application.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	@Order(1)
	void topologyEndpointTheReadmeShowsAnswers() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url + "actuator/redistopology")).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"nodes\"").contains("\"announced\"");
	}

	@Test
	@Order(2)
	void stoppingStopsTheApplicationBeforeTheClusterWithoutWarnings() throws Exception {
		List<ProcessHandle> redisServers = application.descendants()
			// Debian's redis-server is a link to redis-check-rdb, which the process's command names.
			.filter((process) -> process.info().command().orElse("").contains("redis"))
			.toList();
		assertThat(redisServers).as("the local cluster's redis-server processes").isNotEmpty();
		int before = output().length();
		application.destroy();
		assertThat(application.waitFor(2, TimeUnit.MINUTES)).as("the sample stops").isTrue();
		String shutdown = output().substring(before);
		assertThat(shutdown).as("the output after the signal").contains("Application stopped; stopping the local Redis Cluster.");
		assertThat(shutdown.lines().filter((line) -> TROUBLE.matcher(line).find()).toList())
			.as("lines at WARN or above, or stack traces, after the signal:%n%s", shutdown)
			.isEmpty();
		assertThat(redisServers).as("redis-server processes still running after the sample stopped")
			.noneMatch(ProcessHandle::isAlive);
	}

	private static String output() throws IOException {
		return Files.readString(LOG, StandardCharsets.UTF_8);
	}

}
