package io.github.redisresilience.autoconfigure.actuate;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import io.github.redisresilience.autoconfigure.topology.SlotCoverageChangedEvent;
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
		// The gauges tell the same as the health probe that just ran, by value.
		assertThat(meter("redis.resilience.nodes", "role:master")).isEqualTo(3);
		assertThat(meter("redis.resilience.nodes", "role:replica")).isEqualTo(3);
		assertThat(meter("redis.resilience.nodes.unreachable", "role:master")).isZero();
		assertThat(meter("redis.resilience.nodes.unreachable", "role:replica")).isZero();
		assertThat(meter("redis.resilience.slots.uncovered")).isZero();
		assertThat(meter("redis.resilience.nodes.suspect")).isZero();
		assertThat(meter("redis.resilience.connections.unanswered")).isZero();
		assertThat(meter("redis.resilience.node.address.changes")).isZero();
		assertThat(meter("redis.resilience.reconnect.failures")).isZero();
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
		// The delivery policy, as the startup line reports it: by default nothing re-sends an INCR.
		assertThat(topology.<Map<String, String>>read("$.settings.delivery"))
			.containsEntry("reads", "at-least-once")
			.containsEntry("other writes (INCR, LPUSH, SET NX...)", "never");
		assertThat(topology.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD).doesNotContainIgnoringCase("username");
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
		// One address change per pod: each of the 6 moved once.
		assertThat(meter("redis.resilience.node.address.changes")).isEqualTo(moved.size());
		// Every refused reconnect to an old address counts as an attempt and a failure.
		assertThat(meter("redis.resilience.reconnect.failures")).isPositive()
			.isLessThanOrEqualTo(meter("redis.resilience.reconnect.attempts"));
		// A timer's first measurement is its count: the seed name was looked up.
		assertThat(meter("redis.resilience.dns.resolution")).isPositive();
		assertThat(meter("redis.resilience.nodes", "role:master")).isEqualTo(3);
		assertThat(meter("redis.resilience.nodes", "role:replica")).isEqualTo(3);
	}

	private double meter(String name, String... tags) {
		StringBuilder uri = new StringBuilder("/actuator/metrics/").append(name);
		for (int i = 0; i < tags.length; i++) {
			uri.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		Response metric = get(uri.toString());
		assertThat(metric.status()).as(uri.toString()).isEqualTo(200);
		return metric.<Number>read("$.measurements[0].value").doubleValue();
	}

	/**
	 * A poll of the metrics that was still running when they stopped (at a shutdown, now and then)
	 * must not subscribe to Lettuce's events again: the subscription would be handed the events of
	 * connections closing after Lettuce's executors stopped, which Reactor logs as errors.
	 */
	@Test
	void metricsStoppedFollowNoEventsEvenAfterALatePoll() {
		startApplication();
		RedisResilienceMetrics metrics = this.context.getBean(RedisResilienceMetrics.class);
		await().atMost(CONDITION_LIMIT).until(metrics::isSubscribed);
		metrics.stop();
		assertThat(metrics.isSubscribed()).as("subscribed after the stop").isFalse();
		metrics.poll();
		assertThat(metrics.isSubscribed()).as("subscribed again by a poll after the stop").isFalse();
	}

	/** Boot maps only the read operation of an endpoint with read-only access: a POST is not allowed. */
	@Test
	void refreshIsRefusedByDefault() {
		startApplication();
		assertThat(post("/actuator/redistopology").status()).isEqualTo(405);
		assertThat(get("/actuator/redistopology").status()).isEqualTo(200);
	}

	@Test
	void refreshReportsItsOutcomeWhenAccessIsUnrestricted() {
		startApplication("--management.endpoint.redistopology.access=unrestricted");
		// Counted by trigger and outcome, registered at the first: none on demand yet.
		assertThat(get("/actuator/metrics/redis.resilience.topology.refreshes?tag=trigger:on-demand").status())
			.isEqualTo(404);
		Response refresh = post("/actuator/redistopology");
		assertThat(refresh.status()).isEqualTo(200);
		assertThat(refresh.<String>read("$.outcome")).isEqualTo("success");
		assertThat(refresh.<Integer>read("$.tookMillis")).isNotNegative();
		assertThat(refresh.<List<Object>>read("$.changes.nodesRemoved")).isEmpty();
		assertThat(refresh.body()).doesNotContainIgnoringCase(CREDENTIAL_FIELD);
		// The meters poll the watcher's last refresh: counted within a poll.
		await("the on-demand refresh counted").atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/metrics/redis.resilience.topology.refreshes?tag=trigger:on-demand").status() == 200);
		assertThat(meter("redis.resilience.topology.refreshes", "trigger:on-demand", "outcome:success"))
			.as("on-demand refreshes after one POST").isEqualTo(1);
		assertThat(meter("redis.resilience.topology.refresh.age")).as("seconds since the last refresh ended")
			.isBetween(0.0, 10.0);
	}

	/**
	 * A replica moves while nothing else makes the client look (no periodic refresh in the test's
	 * time, no traffic to replicas): the POST is what finds the move, and says so.
	 */
	@Test
	void refreshReportsTheMoveItFound() {
		// No reads but the ones asked for: held-connection reads, which rotate over every node,
		// would find the move on their own when their connection to the moved replica drops.
		startApplication("--management.endpoint.redistopology.access=unrestricted",
				"--redis.resilience.topology.refresh.period=1h",
				"--redis.resilience.topology.refresh.held-connection-reads=false");
		// A new cluster's first view can still lack nodes gossip had not spread yet: complete it
		// first, so that the move is the only thing left for the refresh under test to find. The
		// view is read from the client, not the endpoint: the endpoint PINGs every node over a
		// connection it keeps, whose reconnects after the move would make the watcher look.
		RedisClusterClient client = (RedisClusterClient) this.context.getBean(LettuceConnectionFactory.class)
			.getNativeClient();
		await("every node in the client's view").atMost(CONDITION_LIMIT).until(() -> {
			if (client.getPartitions().size() == cluster.pods().size()) {
				return true;
			}
			assertThat(post("/actuator/redistopology").status()).isEqualTo(200);
			return false;
		});
		RedisPod replica = cluster.replicas().get(0);
		String before = address(replica);
		cluster.movePod(replica, OldAddresses.REFUSE);
		Response refresh = post("/actuator/redistopology");
		assertThat(refresh.status()).isEqualTo(200);
		assertThat(refresh.<String>read("$.outcome")).isEqualTo("success");
		assertThat(refresh.<List<String>>read("$.changes.addressChanges[*].nodeId")).containsExactly(replica.nodeId());
		assertThat(refresh.<String>read("$.changes.addressChanges[0].previousAddress")).isEqualTo(before);
		assertThat(refresh.<String>read("$.changes.addressChanges[0].currentAddress")).isEqualTo(address(replica));
		assertThat(refresh.<List<Object>>read("$.changes.nodesRemoved")).isEmpty();
		assertThat(refresh.<List<Object>>read("$.changes.nodesAdded")).isEmpty();
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
				.until(() -> get("/actuator/health/redisCluster"), (response) -> response.body().contains("suspectNodes"));
			// The frozen master, by id, is the one suspect; its slots are not served meanwhile.
			assertThat(frozen.<List<String>>read("$.details.suspectNodes[*].id")).containsExactly(master.nodeId());
			assertThat(frozen.<String>read("$.status")).isEqualTo("DOWN");
			assertThat(meter("redis.resilience.nodes.suspect")).isEqualTo(1);
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
			// The kit's 3 masters split the slots evenly: the first holds 0-5460.
			assertThat(down.<Integer>read("$.details.slots.uncovered")).isEqualTo(5461);
			assertThat(meter("redis.resilience.slots.uncovered")).isEqualTo(5461);
			// The client's own view lost them too, and the application was told.
			CoverageEvents coverage = this.context.getBean(CoverageEvents.class);
			await("a coverage event for the lost slots").atMost(CONDITION_LIMIT)
				.untilAsserted(() -> assertThat(coverage.events).extracting(SlotCoverageChangedEvent::uncoveredSlots)
					.contains(5461));
			assertThat(meter("redis.resilience.nodes.unreachable", "role:master")
					+ meter("redis.resilience.nodes.unreachable", "role:replica")).as("the stopped master and its replica")
				.isEqualTo(1 + replicas.size());
		}
		finally {
			cluster.restart(master);
			replicas.forEach(cluster::restart);
		}
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster").<String>read("$.status"), "UP"::equals);
		CoverageEvents coverage = this.context.getBean(CoverageEvents.class);
		await("a coverage event for every slot covered again").atMost(CONDITION_LIMIT)
			.untilAsserted(() -> assertThat(coverage.events.get(coverage.events.size() - 1).everySlotCovered()).isTrue());
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

	private static String address(RedisPod pod) {
		return pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort();
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

		@Bean
		CoverageEvents coverageEvents() {
			return new CoverageEvents();
		}

	}

	/** The slot coverage changes the application was told about. */
	static class CoverageEvents {

		final List<SlotCoverageChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onCoverageChange(SlotCoverageChangedEvent event) {
			this.events.add(event);
		}

	}

}
