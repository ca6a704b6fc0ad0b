package io.github.redisresilience.autoconfigure.actuate;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code redisCluster} health component and the {@code redistopology} endpoint over real
 * HTTP, against a real cluster that moves and fails over.
 */
@WithLocalRedisCluster(shared = false)
class RedisClusterActuatorIT {

	private static final Duration CONDITION_LIMIT = Duration.ofSeconds(45);

	/**
	 * The kit's cluster has no users or password, and Spring Data Redis sends a user name even
	 * without a password, so no real credential can be set: responses must at least never carry
	 * fields that could hold one.
	 */
	private static final String CREDENTIAL_FIELD = "password";

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private RestClient http;

	@AfterEach
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void healthIsUpWithDetailsOfEveryNode() {
		startApplication();
		Response health = await().atMost(CONDITION_LIMIT).until(() -> get("/actuator/health/redisCluster"),
				(response) -> response.status() == 200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.<Integer>read("$.details.nodes.masters")).isEqualTo(3);
		assertThat(health.<Integer>read("$.details.nodes.replicas")).isEqualTo(3);
		assertThat(health.<Integer>read("$.details.slots.covered")).isEqualTo(LocalRedisCluster.SLOTS);
		assertThat(health.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD);
	}

	@Test
	void endpointShowsNewAddressesAndTheChangesAfterAllPodsMove() {
		startApplication();
		assertThat(get("/actuator/redistopology").<List<String>>read("$.nodes[*].announced"))
			.containsExactlyInAnyOrderElementsOf(podAddresses());
		cluster.moveAllPods(OldAddresses.REFUSE);
		List<String> moved = podAddresses();
		Response topology = await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/redistopology"),
					(response) -> response.<List<String>>read("$.nodes[*].announced").containsAll(moved)
							&& response.<List<String>>read("$.recentAddressChanges[*].currentAddress").containsAll(moved));
		assertThat(topology.<List<String>>read("$.nodes[*].dialled")).containsExactlyInAnyOrderElementsOf(moved);
		assertThat(topology.<List<String>>read("$.recentAddressChanges[*].nodeId"))
			.containsAll(cluster.pods().stream().map(RedisPod::nodeId).toList());
		assertThat(topology.<Map<String, Object>>read("$.settings")).doesNotContainKeys("password", "username");
		assertThat(topology.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD).doesNotContainIgnoringCase("username");
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
		assertThat(counter("redis.resilience.node.address.changes")).isGreaterThanOrEqualTo(moved.size());
		assertThat(counter("redis.resilience.reconnect.attempts")).isPositive();
		// A timer's first measurement is its count: the seed name was looked up.
		assertThat(counter("redis.resilience.dns.resolution")).isPositive();
	}

	private double counter(String name) {
		Response metric = get("/actuator/metrics/" + name);
		assertThat(metric.status()).as(name).isEqualTo(200);
		return metric.<Number>read("$.measurements[0].value").doubleValue();
	}

	@Test
	void refreshIsRefusedByDefault() {
		startApplication();
		assertThat(post("/actuator/redistopology").status()).isBetween(400, 499);
	}

	@Test
	void refreshReportsItsOutcomeWhenAccessIsUnrestricted() {
		startApplication("--management.endpoint.redistopology.access=unrestricted");
		Response refresh = post("/actuator/redistopology");
		assertThat(refresh.status()).isEqualTo(200);
		assertThat(refresh.<String>read("$.outcome")).isEqualTo("success");
		assertThat(refresh.<Integer>read("$.tookMillis")).isNotNegative();
		assertThat(refresh.<List<Object>>read("$.changes.nodesRemoved")).isEmpty();
		assertThat(refresh.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD);
	}

	@Test
	void healthReportsAFrozenMasterAndIsUpAgainOnceItsReplicaIsPromoted() {
		startApplication();
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
		RedisPod master = cluster.masterOf(0);
		cluster.pause(master);
		try {
			// Each request is bounded by the HTTP client's read timeout: the check must answer.
			Response frozen = await().atMost(CONDITION_LIMIT)
				.until(() -> get("/actuator/health/redisCluster"), (response) -> "DOWN".equals(response.read("$.status"))
						|| response.body().contains(master.nodeId()));
			assertThat(frozen.body()).contains(master.nodeId());
			cluster.awaitHealthy();
			await().atMost(CONDITION_LIMIT)
				.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
		}
		finally {
			cluster.resume(master);
		}
	}

	@Test
	void healthIsUpAgainOnceAKilledMastersReplicaIsPromoted() {
		startApplication();
		RedisPod master = cluster.masterOf(6000);
		cluster.killMaster(master);
		try {
			Response health = await().atMost(CONDITION_LIMIT)
				.until(() -> get("/actuator/health/redisCluster"), (response) -> "UP".equals(response.read("$.status"))
						&& response.<Integer>read("$.details.slots.uncovered") == 0);
			assertThat(health.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD);
		}
		finally {
			cluster.restart(master);
		}
	}

	@Test
	void healthIsDownWhileAMasterAndItsReplicasAreStoppedAndUpAfterTheyReturn() {
		startApplication();
		RedisPod master = cluster.masterOf(0);
		List<RedisPod> replicas = cluster.replicasOf(master);
		assertThat(replicas).isNotEmpty();
		try {
			replicas.forEach(cluster::stop);
			cluster.stop(master);
			Response down = await().atMost(CONDITION_LIMIT)
				.until(() -> get("/actuator/health/redisCluster"), (response) -> response.status() == 503);
			assertThat(down.<String>read("$.status")).isEqualTo("DOWN");
			assertThat(down.<Integer>read("$.details.slots.uncovered")).isPositive();
		}
		finally {
			cluster.restart(master);
			replicas.forEach(cluster::restart);
		}
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
	}

	private void startApplication(String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0",
				"--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk",
				"--management.endpoints.web.exposure.include=health,redistopology,metrics",
				"--management.endpoint.health.show-details=always"));
		arguments.addAll(List.of(extraArguments));
		this.context = new SpringApplicationBuilder(ActuatorApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments.toArray(String[]::new));
		String port = this.context.getEnvironment().getProperty("local.server.port");
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
		requestFactory.setReadTimeout(Duration.ofSeconds(15));
		this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestFactory(requestFactory).build();
	}

	private List<String> podAddresses() {
		return cluster.pods()
			.stream()
			.map((pod) -> pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort())
			.toList();
	}

	private Response get(String path) {
		return this.http.get().uri(path).exchange((request, response) -> new Response(response.getStatusCode().value(),
				new String(response.getBody().readAllBytes())));
	}

	private Response post(String path) {
		return this.http.post().uri(path).exchange((request, response) -> new Response(response.getStatusCode().value(),
				new String(response.getBody().readAllBytes())));
	}

	record Response(int status, String body) {

		<T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ActuatorApplication {

	}

}
