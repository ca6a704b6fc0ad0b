package io.github.redisresilience.autoconfigure.startup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A cluster protected by a password and an ACL user: the application connects with the
 * user's credentials, wrong credentials stop the startup with an analysis naming the
 * properties, and the credentials show nowhere: not in the log (the starter's own DEBUG
 * included), the health details, the topology endpoint, metric tags or the starter's events.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsIT {

	private static final String USERNAME = "acl7user";

	private static final String PASSWORD = "Pa55w0rd-7c1b";

	private static final String DEFAULT_USER_PASSWORD = "Adm1nPass-94fe";

	private static final String WRONG_PASSWORD = "Wr0ngPass-5a3e";

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder()
			.replicasPerMaster(1)
			.password(DEFAULT_USER_PASSWORD)
			.aclUser(USERNAME, PASSWORD)
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
	void wrongPasswordStopsTheStartupWithAnAnalysisNamingThePropertiesButNotTheSecret(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--spring.data.redis.username=" + USERNAME,
				"--spring.data.redis.password=" + WRONG_PASSWORD))
			.satisfies((ex) -> assertThat(rootCause(ex)).isInstanceOf(RedisCredentialsRejectedException.class));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("spring.data.redis.password")
			.contains("spring.data.redis.username")
			.contains("WRONGPASS")
			.doesNotContain(WRONG_PASSWORD)
			.doesNotContain(USERNAME);
	}

	/**
	 * The negative control of the startup check: without the starter
	 * ({@code redis.resilience.enabled=false}) Spring Boot opens Redis connections lazily, so the
	 * same wrong password starts the application and fails its first command instead.
	 */
	@Test
	void controlWithoutTheStarterAWrongPasswordStartsTheApplicationAndFailsItsFirstCommand() {
		// Seeds as IPs: without the starter, Lettuce's own resolver does not read the kit's hosts file.
		String ipSeeds = String.join(",", cluster.pods()
			.stream()
			.map((pod) -> pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort())
			.toList());
		startWithSeeds(ipSeeds, "--redis.resilience.enabled=false", "--spring.data.redis.username=" + USERNAME,
				"--spring.data.redis.password=" + WRONG_PASSWORD);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThatException().isThrownBy(() -> redis.opsForValue().get("credentials-control"))
			.satisfies((ex) -> assertThat(rootCause(ex)).hasMessageContaining("WRONGPASS"));
	}

	@Test
	void missingPasswordStopsTheStartupWithAnAnalysis(CapturedOutput output) {
		assertThatException().isThrownBy(this::start)
			.satisfies((ex) -> assertThat(rootCause(ex)).isInstanceOf(RedisCredentialsRejectedException.class));
		assertThat(output).contains("APPLICATION FAILED TO START").contains("NOAUTH").contains("spring.data.redis.password");
	}

	@Test
	void credentialsAppearNowhere(CapturedOutput output) throws Exception {
		start("--spring.data.redis.username=" + USERNAME, "--spring.data.redis.password=" + PASSWORD,
				"--logging.level.io.github.redisresilience=DEBUG",
				"--management.endpoints.web.exposure.include=health,redistopology",
				"--management.endpoint.health.show-details=always");
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		for (int i = 0; i < 20; i++) {
			redis.opsForValue().set("credentials-" + i, "value-" + i);
		}
		assertThat(redis.opsForValue().get("credentials-7")).isEqualTo("value-7");
		String health = await().atMost(Duration.ofSeconds(30))
			.until(() -> get("/actuator/health"), (body) -> body.contains("\"redisCluster\"") && body.contains("UP"));
		String topology = get("/actuator/redistopology");
		assertThat(topology).contains("\"nodes\"");
		List<String> meterTags = new ArrayList<>();
		for (Meter meter : this.context.getBean(MeterRegistry.class).getMeters()) {
			meterTags.add(meter.getId().getName());
			meter.getId().getTags().stream().map(Tag::getValue).forEach(meterTags::add);
		}
		assertThat(meterTags).anyMatch((tag) -> tag.startsWith("redis.resilience"));
		List<String> events = this.context.getBean(EventRecorder.class).events();
		for (String secret : List.of(PASSWORD, USERNAME, DEFAULT_USER_PASSWORD)) {
			assertThat(output.getAll()).as("log").doesNotContain(secret);
			assertThat(health).as("health").doesNotContain(secret);
			assertThat(topology).as("topology endpoint").doesNotContain(secret);
			assertThat(meterTags).as("meter tags").noneMatch((tag) -> tag.contains(secret));
			assertThat(events).as("events").noneMatch((event) -> event.contains(secret));
		}
		// The health probe's connection is closed before Boot's client shuts down, so the
		// client never closes its node connections a second time (Lettuce would warn).
		this.context.close();
		this.context = null;
		assertThat(output.getAll()).doesNotContain("Connection is already closed");
	}

	private void start(String... extraArguments) {
		startWithSeeds(cluster.seedNodes(), extraArguments);
	}

	private void startWithSeeds(String seeds, String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.data.redis.cluster.nodes=" + seeds,
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk"));
		arguments.addAll(List.of(extraArguments));
		this.context = new SpringApplicationBuilder(CredentialsApplication.class).web(WebApplicationType.SERVLET)
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

	private static Throwable rootCause(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CredentialsApplication {

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
