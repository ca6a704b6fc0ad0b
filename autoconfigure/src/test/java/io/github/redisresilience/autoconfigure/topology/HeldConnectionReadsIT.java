package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.Role;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What following the topology costs the cluster, counted on the servers: every connection a
 * Lettuce client opens starts with {@code HELLO} (the kit's own connections and this test's
 * sampler do not send it), every topology read is a {@code CLUSTER NODES}.
 */
@WithLocalRedisCluster(shared = false)
class HeldConnectionReadsIT {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	/** A 30 s period with its jitter, and some: the next periodic read comes within 36 s of the last. */
	private static final Duration PERIODIC_LIMIT = Duration.ofSeconds(45);

	private static final Pattern HELLO = Pattern.compile("^cmdstat_hello:calls=(\\d+)", Pattern.MULTILINE);

	/**
	 * Redis 7 counts {@code CLUSTER NODES} on its own; Redis 6.2 counts every {@code CLUSTER}
	 * subcommand together, which in steady state are the topology reads alone (Lettuce and the
	 * starter send no other).
	 */
	private static final Pattern CLUSTER_NODES = Pattern.compile("^cmdstat_cluster(?:\\|nodes)?:calls=(\\d+)",
			Pattern.MULTILINE);

	private static final String CLIENT_NAME = "held-reads-app";

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	@AfterEach
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void steadyStateTopologyReadsOpenNoConnection() {
		startApplication("redis.resilience.topology.refresh.period=500ms");
		ServerCounts before = awaitSettled();
		TopologyCounters counters = this.context.getBean(TopologyWatcher.class).counters();
		long heldReads = counters.reads(TopologyCounters.Kind.HELD);
		await().atMost(LIMIT).until(() -> counters.reads(TopologyCounters.Kind.HELD) >= heldReads + 6);
		ServerCounts after = ServerCounts.read(cluster);
		System.out.println("[topology] held reads, steady state: " + after.minus(before) + "; " + counters);
		assertThat(after.clusterNodes() - before.clusterNodes()).as("topology reads").isGreaterThanOrEqualTo(6);
		assertThat(after.connections() - before.connections()).as("new connections").isZero();
	}

	/**
	 * While in trouble the starter reads the topology every degraded period (500 ms): pods that
	 * moved with nothing listening at their old addresses (connects refused, so no master is
	 * suspect) are served as soon as the cluster heals, not at the next periodic read, 24-36 s
	 * after the last one here.
	 */
	@Test
	void whileInTroubleReadsEveryDegradedPeriodSoMovedPodsAreServedAtTheHeal() {
		Duration within = Duration.ofSeconds(2);
		Optional<Duration> served = movePodsRightAfterARead(within, "redis.resilience.topology.refresh.period=30s");
		assertThat(served).as("served within %s of the heal", within).isPresent();
	}

	/**
	 * The negative control of the test above: with the degraded period as long as the period,
	 * nothing reads the topology again until the next periodic read, and the moved pods are not
	 * served for many seconds after the heal.
	 */
	@Test
	void controlWithoutTheDegradedCadenceMovedPodsAreNotServedForSecondsAfterTheHeal() {
		Duration within = Duration.ofSeconds(5);
		Optional<Duration> served = movePodsRightAfterARead(within, "redis.resilience.topology.refresh.period=30s",
				"redis.resilience.topology.refresh.degraded-period=30s");
		assertThat(served).as("served within %s of the heal", within).isEmpty();
	}

	/**
	 * Moves every pod (old addresses refuse) just after the first read, so the next one is at
	 * least 24 s away (the period less its jitter) while the move heals in a few seconds.
	 * @param within how long after the heal to wait for every master to serve writes again
	 * @return how long after the heal every master served writes again, if within that time
	 */
	private Optional<Duration> movePodsRightAfterARead(Duration within, String... properties) {
		startApplication(properties);
		writeEverywhere();
		TopologyCounters counters = this.context.getBean(TopologyWatcher.class).counters();
		// The first read comes one degraded period after the start; the next one a period later.
		await("the first read").atMost(PERIODIC_LIMIT).until(() -> counters.reads(TopologyCounters.Kind.HELD) >= 1);
		Instant read = Instant.now();
		ChaosReport report = cluster.moveAllPods(OldAddresses.REFUSE);
		assertThat(Duration.between(read, report.healed())).as("the heal, well before the next read")
			.isLessThan(Duration.ofSeconds(15));
		Optional<Duration> served;
		try {
			Duration left = Duration.between(Instant.now(), report.healed().plus(within));
			Duration wait = (left.compareTo(Duration.ofMillis(1)) < 0) ? Duration.ofMillis(1) : left;
			await().atMost(wait).ignoreExceptions().untilAsserted(this::writeEverywhere);
			served = Optional.of(Duration.between(report.healed(), Instant.now()));
		}
		catch (ConditionTimeoutException ex) {
			served = Optional.empty();
		}
		System.out.println("[topology] all pods moved (old IPs refuse) " + Duration.between(read, report.started()).toMillis()
				+ " ms after a read, healed " + Duration.between(report.started(), report.healed()).toMillis()
				+ " ms later; served " + served.map((after) -> after.toMillis() + " ms after the heal")
					.orElse("not within " + within.toMillis() + " ms of the heal")
				+ "; " + counters);
		return served;
	}

	/**
	 * A context stopped and started again (Spring's lifecycle, as a refresh scope or a paused
	 * application does) reads over its held connection again, and a stop waits for a look in
	 * progress instead of leaving its connections behind.
	 */
	@Test
	void readsOverItsHeldConnectionAgainAfterTheContextIsStoppedAndStarted() {
		startApplication("redis.resilience.topology.refresh.period=500ms");
		awaitSettled();
		TopologyCounters counters = this.context.getBean(TopologyWatcher.class).counters();
		this.context.stop();
		long heldReads = answeredHeldReads(counters);
		long otherReads = counters.reads(TopologyCounters.Kind.SEED) + counters.reads(TopologyCounters.Kind.FULL);
		this.context.start();
		await().atMost(LIMIT)
			.until(() -> answeredHeldReads(counters) >= heldReads + 3);
		assertThat(counters.reads(TopologyCounters.Kind.SEED) + counters.reads(TopologyCounters.Kind.FULL))
			.as("seed reads and full refreshes after the start")
			.isEqualTo(otherReads);
	}

	/**
	 * The negative control of {@link #steadyStateTopologyReadsOpenNoConnection()}: Lettuce's refresh
	 * opens a connection to every node on every read.
	 */
	@Test
	void lettucesRefreshOpensAConnectionPerNodeOnEveryRead() {
		startApplication("redis.resilience.topology.refresh.period=500ms",
				"redis.resilience.topology.refresh.held-connection-reads=false");
		ServerCounts before = awaitSettled();
		int nodes = cluster.pods().size();
		await().atMost(LIMIT)
			.until(() -> ServerCounts.read(cluster).clusterNodes() - before.clusterNodes() >= 6L * nodes);
		ServerCounts after = ServerCounts.read(cluster);
		System.out.println("[topology] Lettuce's refresh, steady state: " + after.minus(before));
		assertThat(after.connections() - before.connections()).as("new connections")
			.isGreaterThanOrEqualTo(5L * nodes);
	}

	/**
	 * Spring Data shares one cluster connection between the application's operations: the
	 * starter reads over it, from a master, so the client holds the application's connections
	 * only (one per master it wrote to, and its default one).
	 */
	@Test
	void readsOverTheApplicationsSharedConnectionSoTheClientHoldsNoConnectionOfItsOwn() {
		int named = namedConnectionsAfterReads(true);
		assertThat(named).as("connections named " + CLIENT_NAME).isEqualTo(masters() + 1);
	}

	/**
	 * The negative control of the test above: when Spring Data shares no connection the reader
	 * holds a cluster connection of its own beside the application's, with node connections of
	 * its own.
	 */
	@Test
	void controlWithoutASharedConnectionTheReaderHoldsConnectionsOfItsOwn() {
		int named = namedConnectionsAfterReads(false);
		assertThat(named).as("connections named " + CLIENT_NAME).isGreaterThan(masters() + 1);
	}

	/**
	 * Starts the application with or without Spring Data's shared connection, writes to every
	 * master over one connection the application keeps open, lets the starter read the topology
	 * a few times, and counts the connections the client holds on the servers (by its client name).
	 */
	private int namedConnectionsAfterReads(boolean shared) {
		startApplication("redis.resilience.topology.refresh.period=500ms", "spring.data.redis.client-name=" + CLIENT_NAME,
				"test.share-native-connection=" + shared);
		LettuceConnectionFactory factory = this.context.getBean(LettuceConnectionFactory.class);
		assertThat(factory.getShareNativeConnection()).isEqualTo(shared);
		try (RedisClusterConnection application = factory.getClusterConnection()) {
			for (int i = 0; i < 64; i++) {
				application.stringCommands().set(("held-reads-" + i).getBytes(), Integer.toString(i).getBytes());
			}
			TopologyCounters counters = this.context.getBean(TopologyWatcher.class).counters();
			int nodes = cluster.pods().size();
			await().atMost(LIMIT).until(() -> answeredHeldReads(counters) >= 2L * nodes);
			int named = 0;
			for (RedisPod pod : cluster.pods()) {
				named += namedConnections(pod);
			}
			System.out.println("[topology] held reads " + (shared ? "over the shared connection" : "without one")
					+ ": " + named + " connections named " + CLIENT_NAME + " on " + nodes + " nodes; " + counters);
			return named;
		}
	}

	private static int masters() {
		return (int) cluster.pods().stream().filter((pod) -> pod.role() == Role.MASTER).count();
	}

	private static int namedConnections(RedisPod pod) {
		RedisClient sampler = RedisClient.create();
		sampler.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
		try (StatefulRedisConnection<String, String> connection = sampler
			.connect(RedisURI.create(pod.address().getHostString(), pod.address().getPort()))) {
			return (int) connection.sync()
				.clientList()
				.lines()
				.filter((line) -> line.contains(" name=" + CLIENT_NAME + " "))
				.count();
		}
		finally {
			sampler.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void afterEveryPodMovedWithItsOldAddressHangingTheClientRecoversWithAFewConnectionsPerMovedNode() {
		startApplication();
		awaitSettled();
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		ChaosReport report = cluster.moveAllPods(OldAddresses.BLACK_HOLE);
		Instant served = awaitEverySlotServed();
		await("calm again").atMost(LIMIT).until(() -> !watcher.isDegraded());
		Instant calm = Instant.now();
		// Counted by the new processes: everything that connected to the pods since they moved.
		ServerCounts after = ServerCounts.read(cluster);
		int moved = report.addressChanges().size();
		System.out.println("[topology] all pods moved (old IPs black-holed), held reads: served "
				+ Duration.between(report.healed(), served).toMillis() + " ms after the heal, calm "
				+ Duration.between(report.healed(), calm).toMillis() + " ms after the heal; " + moved
				+ " nodes moved; since the move: " + after + "; " + watcher.counters());
		assertThat(Duration.between(report.healed(), calm)).as("back to the period after the heal")
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(after.connections()).as("new connections").isLessThanOrEqualTo(3L * moved);
	}

	/**
	 * The negative control of the test above: with Lettuce's refresh every degraded period, the
	 * same move costs many connections per moved node.
	 */
	@Test
	void afterEveryPodMovedLettucesRefreshCostsManyConnectionsPerMovedNode() {
		startApplication("redis.resilience.topology.refresh.held-connection-reads=false");
		awaitSettled();
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		ChaosReport report = cluster.moveAllPods(OldAddresses.BLACK_HOLE);
		Instant served = awaitEverySlotServed();
		await("calm again").atMost(LIMIT).until(() -> !watcher.isDegraded());
		Instant calm = Instant.now();
		ServerCounts after = ServerCounts.read(cluster);
		int moved = report.addressChanges().size();
		System.out.println("[topology] all pods moved (old IPs black-holed), Lettuce's refresh: served "
				+ Duration.between(report.healed(), served).toMillis() + " ms after the heal, calm "
				+ Duration.between(report.healed(), calm).toMillis() + " ms after the heal; " + moved
				+ " nodes moved; since the move: " + after + "; " + watcher.counters());
		assertThat(after.connections()).as("new connections").isGreaterThan(3L * moved);
	}

	private static long answeredHeldReads(TopologyCounters counters) {
		return counters.reads(TopologyCounters.Kind.HELD) - counters.reads(TopologyCounters.Kind.HELD, TopologyCounters.Outcome.FAILED);
	}

	private void startApplication(String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"redis.resilience.dns.resolver=jdk"));
		all.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/**
	 * The application has written to every master and the starter has read the topology twice
	 * over its held connection (which it opens at its first read): every connection the client
	 * keeps is open.
	 */
	private ServerCounts awaitSettled() {
		writeEverywhere();
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		TopologyCounters counters = watcher.counters();
		boolean held = this.context.getEnvironment()
			.getProperty("redis.resilience.topology.refresh.held-connection-reads", Boolean.class, true);
		if (held) {
			await().atMost(LIMIT).until(() -> counters.reads(TopologyCounters.Kind.HELD) >= 2);
		}
		else {
			await().atMost(LIMIT).until(() -> counters.reads(TopologyCounters.Kind.FULL) >= 2 || !watcher.isDegraded());
		}
		writeEverywhere();
		return ServerCounts.read(cluster);
	}

	private Instant awaitEverySlotServed() {
		await().atMost(LIMIT).ignoreExceptions().untilAsserted(this::writeEverywhere);
		return Instant.now();
	}

	/** Keys spread over every master (64 keys cover three masters' slot ranges). */
	private void writeEverywhere() {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		for (int i = 0; i < 64; i++) {
			redis.opsForValue().set("held-reads-" + i, Integer.toString(i));
		}
	}

	/**
	 * What the cluster's servers counted.
	 *
	 * @param connections connections opened by Lettuce clients ({@code HELLO} calls)
	 * @param clusterNodes {@code CLUSTER NODES} calls
	 */
	record ServerCounts(long connections, long clusterNodes) {

		static ServerCounts read(LocalRedisCluster cluster) {
			long connections = 0;
			long clusterNodes = 0;
			RedisClient sampler = RedisClient.create();
			// RESP2: the sampler's own connections send no HELLO.
			sampler.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
			try {
				for (RedisPod pod : cluster.pods()) {
					RedisURI uri = RedisURI.create(pod.address().getHostString(), pod.address().getPort());
					try (StatefulRedisConnection<String, String> connection = sampler.connect(uri)) {
						String stats = connection.sync().info("commandstats");
						connections += count(HELLO, stats);
						clusterNodes += count(CLUSTER_NODES, stats);
					}
				}
			}
			finally {
				sampler.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
			return new ServerCounts(connections, clusterNodes);
		}

		private static long count(Pattern pattern, String stats) {
			Matcher matcher = pattern.matcher(stats);
			return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
		}

		ServerCounts minus(ServerCounts other) {
			return new ServerCounts(this.connections - other.connections, this.clusterNodes - other.clusterNodes);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		/** {@code test.share-native-connection=false}: Spring Data's factory shares no connection. */
		@Bean
		static BeanPostProcessor sharedConnectionSwitch(Environment environment) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					if (bean instanceof LettuceConnectionFactory factory) {
						factory.setShareNativeConnection(
								environment.getProperty("test.share-native-connection", Boolean.class, true));
					}
					return bean;
				}

			};
		}

	}

}
