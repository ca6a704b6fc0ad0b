package io.github.redisresilience.autoconfigure.actuate;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.jayway.jsonpath.JsonPath;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.autoconfigure.suspect.NodeSuspectedEvent;
import io.github.redisresilience.autoconfigure.suspect.NodeSuspicionClearedEvent;
import io.github.redisresilience.autoconfigure.suspect.SuspectNode;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A frozen master is reported suspect (health details, topology endpoint, events, metrics) while
 * the cluster still lists it as a master, and no longer once its replica is promoted or it
 * answers again.
 * <p>
 * The cluster's node timeout is 8 s, so that "before the promotion" is a window of seconds on a
 * busy machine: no failover can start before the frozen master has been silent that long.
 */
class SuspectNodesIT {

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(8);

	private static final Duration CONDITION_LIMIT = Duration.ofSeconds(45);

	private static final String KEY = "suspect-traffic";

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private RestClient http;

	private final AtomicBoolean writing = new AtomicBoolean();

	private final AtomicInteger written = new AtomicInteger();

	private Thread writer;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().nodeTimeout(NODE_TIMEOUT).start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void stopApplicationAndRestoreCluster() throws InterruptedException {
		this.writing.set(false);
		if (this.writer != null) {
			this.writer.join(TimeUnit.SECONDS.toMillis(30));
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (pod.isPaused()) {
				cluster.resume(pod);
			}
		}
	}

	@Test
	void frozenMasterWithTrafficIsSuspectUntilItsReplicaIsPromoted() {
		startApplication();
		RedisPod master = cluster.masterOf(SlotHash.getSlot(KEY));
		warmUp();
		startWriting();
		Instant frozen = Instant.now();
		cluster.pause(master);
		Suspicions suspicions = this.context.getBean(Suspicions.class);
		// No health request yet: the application's own unanswered connection is the signal.
		NodeSuspectedEvent suspected = await().atMost(CONDITION_LIMIT)
			.until(() -> suspicions.suspectedOf(master), (event) -> event != null);
		assertThat(suspected.suspect().cause()).isEqualTo(SuspectNode.Cause.UNANSWERED_CONNECTION);
		Response health = get("/actuator/health/redisCluster");
		Response topology = get("/actuator/redistopology");
		Duration seenWithin = Duration.between(frozen, Instant.now());
		assertThat(seenWithin).as("seen before any failover could start").isLessThan(NODE_TIMEOUT);
		assertThat(health.<List<String>>read("$.details.suspectNodes[*].id")).containsExactly(master.nodeId());
		assertThat(health.<String>read("$.details.suspectNodes[0].cause")).isEqualTo("unanswered-connection");
		assertThat(health.<String>read("$.status")).as("its slots are not served").isEqualTo("DOWN");
		assertThat(suspectFlag(topology, master)).containsExactly(true);
		assertThat(topology.<List<String>>read("$.nodes[?(@.suspect == true)].suspicion.since")).isNotEmpty();
		assertThat(gauge("redis.resilience.nodes.suspect")).isEqualTo(1);

		cluster.awaitHealthy();
		await("no longer suspect once its replica is promoted").atMost(CONDITION_LIMIT)
			.until(() -> suspicions.clearedOf(master) != null);
		Response promoted = await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster"), (response) -> "UP".equals(response.read("$.status")));
		assertThat(promoted.body()).doesNotContain("suspectNodes");
		assertThat(suspectFlag(get("/actuator/redistopology"), master)).doesNotContain(true);

		cluster.resume(master);
		Response resumed = await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/redistopology"),
					(response) -> response.<List<String>>read("$.nodes[?(@.id == '" + master.nodeId() + "')].role")
						.contains("replica"));
		assertThat(suspectFlag(resumed, master)).containsExactly(false);
		assertThat(counter("redis.resilience.nodes.suspicions", "cause:unanswered-connection")).isEqualTo(1);
		assertThat(gauge("redis.resilience.nodes.suspect")).isZero();
		// Every connection closed unanswered was to the frozen master, and the meter counts each one.
		String frozenAddress = master.address().getAddress().getHostAddress() + ":" + master.address().getPort();
		assertThat(suspicions.closed).isNotEmpty()
			.allSatisfy((closed) -> assertThat(closed.remoteAddress()).endsWith(frozenAddress));
		assertThat(gauge("redis.resilience.connections.unanswered")).isEqualTo(suspicions.closed.size());
	}

	@Test
	void masterFrozenShorterThanTheNodeTimeoutIsSuspectUntilItAnswersAgain() {
		startApplication();
		RedisPod master = cluster.masterOf(0);
		warmUp();
		Instant frozen = Instant.now();
		cluster.pause(master);
		// No traffic: the health probe's PING, bounded by the probe timeout, is the signal.
		Response health = get("/actuator/health/redisCluster");
		assertThat(Duration.between(frozen, Instant.now())).as("seen before any failover could start")
			.isLessThan(NODE_TIMEOUT);
		assertThat(health.<List<String>>read("$.details.suspectNodes[*].id")).containsExactly(master.nodeId());
		assertThat(health.<String>read("$.details.suspectNodes[0].cause")).isEqualTo("probe-timeout");
		cluster.resume(master);
		assertThat(cluster.masterOf(0)).as("no failover").isSameAs(master);
		Suspicions suspicions = this.context.getBean(Suspicions.class);
		NodeSuspicionClearedEvent cleared = await().atMost(CONDITION_LIMIT)
			.until(() -> suspicions.clearedOf(master), (event) -> event != null);
		assertThat(cleared.why()).isEqualTo("answered");
		assertThat(get("/actuator/health/redisCluster").body()).doesNotContain("suspectNodes");
		assertThat(counter("redis.resilience.nodes.suspicions", "cause:probe-timeout")).isEqualTo(1);
	}

	/**
	 * The first requests initialise the web layer and open the probe's own connection, which may
	 * take a second on a busy machine: done before the clock of the frozen node starts.
	 */
	private void warmUp() {
		await().atMost(CONDITION_LIMIT)
			.until(() -> get("/actuator/health/redisCluster"), (response) -> "UP".equals(response.read("$.status")));
		assertThat(get("/actuator/redistopology").<List<Boolean>>read("$.nodes[*].suspect")).containsOnly(false);
	}

	private List<Boolean> suspectFlag(Response topology, RedisPod pod) {
		return topology.read("$.nodes[?(@.id == '" + pod.nodeId() + "')].suspect");
	}

	/**
	 * Writes to the master's slots until the test ends, so that its connection goes unanswered;
	 * returns once writes went through, so that the connection is open before the node freezes.
	 */
	private void startWriting() {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		this.writing.set(true);
		this.writer = new Thread(() -> {
			for (int i = 0; i < 100_000 && this.writing.get(); i++) {
				try {
					redis.opsForValue().set(KEY, "v" + i);
					this.written.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// Failed writes are expected while the master is frozen; only the signal matters here.
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			}
		}, "suspect-writer");
		this.writer.setDaemon(true);
		this.writer.start();
		await().atMost(CONDITION_LIMIT).until(() -> this.written.get() >= 3);
	}

	private void startApplication() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0",
				"--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk",
				// Health answers within half a second while a node is frozen.
				"--redis.resilience.actuate.probe-timeout=500ms",
				"--management.endpoints.web.exposure.include=health,redistopology,metrics",
				"--management.endpoint.health.show-details=always"));
		this.context = new SpringApplicationBuilder(SuspectApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments.toArray(String[]::new));
		String port = this.context.getEnvironment().getProperty("local.server.port");
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
		requestFactory.setReadTimeout(Duration.ofSeconds(15));
		this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestFactory(requestFactory).build();
	}

	private double counter(String name, String tag) {
		Response metric = get("/actuator/metrics/" + name + "?tag=" + tag);
		assertThat(metric.status()).as(name).isEqualTo(200);
		return metric.<Number>read("$.measurements[0].value").doubleValue();
	}

	private double gauge(String name) {
		Response metric = get("/actuator/metrics/" + name);
		assertThat(metric.status()).as(name).isEqualTo(200);
		return metric.<Number>read("$.measurements[0].value").doubleValue();
	}

	private Response get(String path) {
		return this.http.get().uri(path).exchange((request, response) -> new Response(response.getStatusCode().value(),
				new String(response.getBody().readAllBytes())));
	}

	record Response(int status, String body) {

		<T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SuspectApplication {

		@Bean
		Suspicions suspicions() {
			return new Suspicions();
		}

	}

	/** The suspicion events the application was told about. */
	static class Suspicions {

		final List<NodeSuspectedEvent> suspected = new CopyOnWriteArrayList<>();

		final List<NodeSuspicionClearedEvent> cleared = new CopyOnWriteArrayList<>();

		@EventListener
		void onSuspected(NodeSuspectedEvent event) {
			this.suspected.add(event);
		}

		final List<UnansweredConnectionClosedEvent> closed = new CopyOnWriteArrayList<>();

		@EventListener
		void onCleared(NodeSuspicionClearedEvent event) {
			this.cleared.add(event);
		}

		@EventListener
		void onClosed(UnansweredConnectionClosedEvent event) {
			this.closed.add(event);
		}

		NodeSuspectedEvent suspectedOf(RedisPod pod) {
			return this.suspected.stream().filter((event) -> event.suspect().nodeId().equals(pod.nodeId())).findFirst().orElse(null);
		}

		NodeSuspicionClearedEvent clearedOf(RedisPod pod) {
			return this.cleared.stream().filter((event) -> event.suspect().nodeId().equals(pod.nodeId())).findFirst().orElse(null);
		}

	}

}
