package io.github.redisresilience.autoconfigure.startup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.CertificateNames;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A password-protected TLS cluster that requires client certificates (presented from the SSL
 * bundle's key store) and whose certificate names the pods' stable host names and services only: verification demonstrably happens against the dialled names (a remap to names
 * the certificate does not cover, or no remap at all for pods announcing IPs, stops the startup
 * with an analysis), and with a remap to covered names neither the password nor any key or
 * certificate material shows in the log, health, topology endpoint, metric tags or events.
 */
@RequiresRedis(value = 6, tls = true)
@ExtendWith(OutputCaptureExtension.class)
class TlsStartupIT {

	private static final String PASSWORD = "Tls-Pa55-81d2";

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder()
			.replicasPerMaster(0)
			.password(PASSWORD)
			.tls(CertificateNames.STABLE_NAMES)
			.requireClientCertificates()
			.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void remapToNamesTheCertificateDoesNotCoverStopsTheStartupWithAnAnalysis(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start("--redis.resilience.remap.rules[0].from=regex:127\\.(\\d+)\\.(\\d+)\\.(\\d+):(\\d+)",
					"--redis.resilience.remap.rules[0].to=127-{1}-{2}-{3}." + cluster.podIpDomain() + ":{4}"))
			.satisfies((ex) -> assertThat(certificateRejection(ex)).isNotNull()
				.satisfies((rejected) -> {
					assertThat(rejected.isRemapped()).isTrue();
					assertThat(rejected.getDialled()).endsWith("." + cluster.podIpDomain() + ":" + cluster.port());
					assertThat(rejected.getRejectedNodes()).isEqualTo(cluster.pods().size());
				}));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("redis.resilience.remap.rules")
			.contains("." + cluster.podIpDomain())
			.contains("No subject alternative DNS name matching")
			.doesNotContain(PASSWORD);
	}

	@Test
	void podsAnnouncingIpsWithoutARemapRuleStopTheStartupWithAnAnalysis(CapturedOutput output) {
		assertThatException().isThrownBy(this::start)
			.satisfies((ex) -> assertThat(certificateRejection(ex)).isNotNull()
				.satisfies((rejected) -> assertThat(rejected.isRemapped()).isFalse()));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dialled as announced")
			.contains("No subject alternative names matching IP address")
			.contains("redis.resilience.remap.rules")
			.doesNotContain(PASSWORD);
	}

	/**
	 * The certificate check's negative control: with its auto-configuration excluded the same
	 * application starts, and its first command fails late, deep in a TLS handshake, with nothing
	 * naming the remap rules that would fix it.
	 */
	@Test
	void controlWithoutTheCertificateCheckTheApplicationStartsAndItsFirstCommandFailsUnexplained(CapturedOutput output) {
		start("--spring.autoconfigure.exclude=" + RedisResilienceStartupAutoConfiguration.class.getName());
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThatException().isThrownBy(() -> redis.opsForValue().set("unchecked", "value"))
			.satisfies((ex) -> {
				List<String> causes = new ArrayList<>();
				for (Throwable cause = ex; cause != null && causes.size() < 20; cause = cause.getCause()) {
					causes.add(cause.getClass().getName() + ": " + cause.getMessage());
				}
				System.out.println("[control] certificate check off, first command failed with " + causes);
				assertThat(String.join(" <- ", causes)).contains("SSLHandshakeException")
					.doesNotContain("redis.resilience.remap.rules");
			});
		assertThat(output).doesNotContain("APPLICATION FAILED TO START");
	}

	@Test
	void remapToCoveredNamesWorksAndNoSecretAppears(CapturedOutput output) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--logging.level.io.github.redisresilience=DEBUG",
				"--management.endpoints.web.exposure.include=health,redistopology",
				"--management.endpoint.health.show-details=always"));
		List<RedisPod> pods = cluster.pods();
		for (int i = 0; i < pods.size(); i++) {
			RedisPod pod = pods.get(i);
			arguments.add("--redis.resilience.remap.rules[" + i + "].from=" + pod.address().getHostString() + ":"
					+ pod.address().getPort());
			arguments.add("--redis.resilience.remap.rules[" + i + "].to=" + pod.hostname());
		}
		start(arguments.toArray(String[]::new));
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		for (int i = 0; i < 20; i++) {
			redis.opsForValue().set("tls-" + i, "value-" + i);
		}
		assertThat(redis.opsForValue().get("tls-7")).isEqualTo("value-7");

		String health = await().atMost(Duration.ofSeconds(30))
			.until(() -> get("/actuator/health"), (body) -> body.contains("\"redisCluster\"") && body.contains("UP"));
		String topology = get("/actuator/redistopology");
		assertThat(topology).contains(pods.get(0).hostname());
		List<String> meterTags = new ArrayList<>();
		for (Meter meter : this.context.getBean(MeterRegistry.class).getMeters()) {
			meterTags.add(meter.getId().getName());
			meter.getId().getTags().stream().map(Tag::getValue).forEach(meterTags::add);
		}
		List<String> events = this.context.getBean(EventRecorder.class).events();
		// A line of the CA certificate's and of the client key's body: long enough not to occur by chance.
		String certificateBody = Files.readAllLines(cluster.tlsCaCertificate()).get(1);
		String clientKeyBody = Files.readAllLines(cluster.tlsClientKey()).get(1);
		for (String secret : List.of(PASSWORD, "-----BEGIN", "PRIVATE KEY", certificateBody, clientKeyBody)) {
			assertThat(output.getAll()).as("log").doesNotContain(secret);
			assertThat(health).as("health").doesNotContain(secret);
			assertThat(topology).as("topology endpoint").doesNotContain(secret);
			assertThat(meterTags).as("meter tags").noneMatch((tag) -> tag.contains(secret));
			assertThat(events).as("events").noneMatch((event) -> event.contains(secret));
		}
	}

	private void start(String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0",
				"--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				"--spring.data.redis.password=" + PASSWORD,
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk"));
		cluster.sslBundleProperties("redis-kit").forEach((name, value) -> arguments.add("--" + name + "=" + value));
		arguments.addAll(List.of(extraArguments));
		this.context = new SpringApplicationBuilder(TlsApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments.toArray(String[]::new));
	}

	private String get(String path) throws Exception {
		String port = this.context.getEnvironment().getProperty("local.server.port");
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(15))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private static RedisCertificateRejectedException certificateRejection(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof RedisCertificateRejectedException rejected) {
				return rejected;
			}
		}
		return null;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TlsApplication {

		@Bean
		EventRecorder eventRecorder() {
			return new EventRecorder();
		}

	}

	/**
	 * Keeps the starter's events as text, as a listener that logs them would see them.
	 */
	static class EventRecorder {

		private final List<String> events = new ArrayList<>();

		@EventListener
		synchronized void on(Object event) {
			if (event.getClass().getName().startsWith("io.github.redisresilience")) {
				this.events.add(event.toString());
			}
		}

		synchronized List<String> events() {
			return List.copyOf(this.events);
		}

	}

}
