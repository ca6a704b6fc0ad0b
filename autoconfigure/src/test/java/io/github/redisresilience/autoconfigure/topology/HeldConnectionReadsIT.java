package io.github.redisresilience.autoconfigure.topology;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisCommand;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.test.AddressChange;
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

	/**
	 * After every pod moved (old addresses hang) the client opens no more connections than nodes
	 * changed address. They carry the application's commands to each master it writes to, its
	 * cluster connection's default connection and one seed connection for the episode's seed reads:
	 * 5 for 3 masters and 6 moved nodes, 6 when a first seed view, read before the pods had met
	 * again, left the masters at their old addresses and the reads went on from a replica. A reader
	 * that opened a cluster connection of its own while Spring Data's shared connection reconnected
	 * (not open, yet not closed) made it 7 to 9.
	 * <p>
	 * Connections to the new addresses whose handshake was answered, each counted once on the
	 * client: the servers count handshakes ({@code HELLO}), and one connection once sent two (7
	 * counted, 6 opened).
	 * <p>
	 * The client is back to the period 0.2 to 1.1 s after the heal here, 2.07 s once on a loaded
	 * machine: the goal of 2 s is the fleet benchmark's measure, and this test bounds it at 5 s, so
	 * that a client kept degraded by a sign of trouble that goes on after the heal fails it.
	 */
	@Test
	void afterEveryPodMovedWithItsOldAddressHangingTheClientRecoversWithAtMostOneConnectionPerMovedNode() {
		MovedAndCalm moved = moveEveryPodAndAwaitCalm();
		assertThat(moved.calmAfterHeal()).as("back to the period after the heal")
			.isLessThanOrEqualTo(Duration.ofSeconds(5));
		assertThat(moved.connections()).as("new connections")
			.isLessThanOrEqualTo(moved.report().addressChanges().size());
	}

	/**
	 * While degraded after every pod moved (old addresses hang), from the move until the watcher
	 * is calm again, the servers answer no more topology reads than the watcher asks for at its
	 * fastest: one read per look, a look at least 0.8 degraded periods after the last (the
	 * cadence's jitter), plus the first look and a seed read still waiting beside the next look's
	 * held read. That is about 2.5 reads per second; 1.2 to 2.0 were answered here (the reads made
	 * while every known address hangs are never answered, and are cancelled when given up on).
	 * <p>
	 * Not counted on the servers, whose count holds the kit's own polls (it reads
	 * {@code CLUSTER NODES} from every pod many times while it heals the cluster: over 200 in one
	 * move), but on the client, as the fleet benchmark does: every {@code CLUSTER NODES} a server
	 * answered it, on any of its connections. This does not tell one read per look from a seed
	 * read beside every held read while held reads fail: here those extra held reads go to the old
	 * addresses and are never answered (1.8 to 2.5 reads per second were answered without one
	 * read per look).
	 */
	@Test
	void afterEveryPodMovedWithItsOldAddressHangingTheClientReadsNoFasterThanItsDegradedCadence() {
		MovedAndCalm moved = moveEveryPodAndAwaitCalm();
		Duration period = this.context.getBean(RedisResilienceProperties.class)
			.getTopology()
			.getRefresh()
			.getDegradedPeriod();
		// The cadence waits 0.8 to 1.2 degraded periods between looks.
		long fastestLooks = 1 + moved.degraded().toNanos() / (period.toNanos() * 4 / 5);
		// A seed read still waiting when the next look reads over a held connection.
		long waitingSeedRead = 1;
		assertThat(moved.topologyReads()).as("topology reads answered in %d ms degraded", moved.degraded().toMillis())
			.isLessThanOrEqualTo(fastestLooks + waitingSeedRead);
	}

	/**
	 * Behind a Service name (the kit's seed), Lettuce's full refresh (an adaptive trigger, the
	 * refresh endpoint) reads the seed only: one new connection, where reading every known node
	 * opens one per node, on every client of a fleet (fails with {@code dynamic-sources=true}:
	 * six).
	 */
	@Test
	void aFullRefreshBehindAServiceNameOpensOneConnection() throws Exception {
		assertThat(cluster.seedNodes()).as("one seed, a name").doesNotContain(",").doesNotStartWith("127.");
		startApplication("test.count-answered-commands=true");
		awaitSettled();
		AnsweredCommands answered = this.context.getBean(AnsweredCommands.class);
		Set<InetAddress> nodes = cluster.pods().stream().map((pod) -> pod.address().getAddress()).collect(Collectors.toSet());
		long from = System.nanoTime();
		TopologyRefresh refresh = this.context.getBean(TopologyWatcher.class)
			.refreshNow()
			.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(refresh.error()).as("refresh error").isNull();
		assertThat(answered.connections(from, System.nanoTime(), nodes)).as("connections the full refresh opened")
			.isEqualTo(1);
	}

	/**
	 * Moves every pod (old addresses hang), waits until every master serves writes and the
	 * watcher is calm again, and counts what the client had answered meanwhile.
	 */
	private MovedAndCalm moveEveryPodAndAwaitCalm() {
		startApplication("test.count-answered-commands=true");
		awaitSettled();
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		AnsweredCommands answered = this.context.getBean(AnsweredCommands.class);
		long movedNanos = System.nanoTime();
		ChaosReport report = cluster.moveAllPods(OldAddresses.BLACK_HOLE);
		Instant served = awaitEverySlotServed();
		await("calm again").atMost(LIMIT).until(() -> !watcher.isDegraded());
		Instant calm = Instant.now();
		long calmNanos = System.nanoTime();
		Set<InetAddress> newAddresses = report.addressChanges()
			.stream()
			.map(AddressChange::to)
			.map(InetSocketAddress::getAddress)
			.collect(Collectors.toSet());
		MovedAndCalm moved = new MovedAndCalm(report, Duration.between(report.healed(), calm),
				Duration.ofNanos(calmNanos - movedNanos), answered.connections(movedNanos, calmNanos, newAddresses),
				answered.topologyReads(movedNanos, calmNanos));
		// Counted by the new processes: everything that connected to the pods since they moved.
		ServerCounts servers = ServerCounts.read(cluster);
		System.out.println(String.format(Locale.ROOT,
				"[topology] all pods moved (old IPs black-holed), held reads: served %d ms after the heal, calm %d ms "
						+ "after the heal; %d nodes moved; degraded %d ms: %d new connections, %d topology reads answered "
						+ "(%.2f per second); on the new processes, the kit's reads included: %s; %s",
				Duration.between(report.healed(), served).toMillis(), moved.calmAfterHeal().toMillis(),
				report.addressChanges().size(), moved.degraded().toMillis(), moved.connections(),
				moved.topologyReads(), moved.topologyReads() * 1e9 / moved.degraded().toNanos(), servers,
				watcher.counters()));
		return moved;
	}

	/**
	 * What a move of every pod cost the client until it was calm again.
	 *
	 * @param report the move
	 * @param calmAfterHeal from the heal until the watcher was calm again
	 * @param degraded from the start of the move until the watcher was calm again
	 * @param connections connections the client opened to the new addresses meanwhile
	 * @param topologyReads {@code CLUSTER NODES} the servers answered the client meanwhile
	 */
	private record MovedAndCalm(ChaosReport report, Duration calmAfterHeal, Duration degraded, long connections,
			long topologyReads) {
	}

	/**
	 * The negative control of
	 * {@link #afterEveryPodMovedWithItsOldAddressHangingTheClientRecoversWithAtMostOneConnectionPerMovedNode()}:
	 * with Lettuce's refresh every degraded period, the same move costs many connections per moved
	 * node.
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

	/**
	 * Handshakes ({@code HELLO}) and topology reads ({@code CLUSTER NODES}) the client had
	 * answered, counted on the client as the fleet benchmark counts them: Lettuce hands every
	 * command answered on a connection made with the client's resources (the cluster connection's,
	 * the seed reads') to their command latency recorder.
	 */
	static final class AnsweredCommands implements CommandLatencyRecorder {

		private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

		@Override
		public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
				long firstResponseLatency, long completionLatency) {
			// Lettuce calls the variant with the command, whose arguments tell CLUSTER NODES apart.
		}

		@Override
		public void recordCommandLatency(SocketAddress local, SocketAddress remote, RedisCommand<?, ?, ?> command,
				long firstResponseLatency, long completionLatency) {
			boolean handshake = command.getType() == CommandType.HELLO;
			if (handshake || isTopologyRead(command)) {
				this.answers.add(new Answer(System.nanoTime(), local, remote, handshake));
			}
		}

		/** Connections to one of some addresses that shook hands within a window, each counted once. */
		long connections(long fromNanos, long toNanos, Set<InetAddress> addresses) {
			return this.answers.stream()
				.filter((answer) -> answer.handshake() && answer.within(fromNanos, toNanos) && answer.isTo(addresses))
				.map((answer) -> List.of(answer.local(), answer.remote()))
				.distinct()
				.count();
		}

		long topologyReads(long fromNanos, long toNanos) {
			return this.answers.stream()
				.filter((answer) -> !answer.handshake() && answer.within(fromNanos, toNanos))
				.count();
		}

		/** Topology reads answered by one of some addresses within a window. */
		long topologyReads(long fromNanos, long toNanos, Set<InetAddress> addresses) {
			return this.answers.stream()
				.filter((answer) -> !answer.handshake() && answer.within(fromNanos, toNanos) && answer.isTo(addresses))
				.count();
		}

		private static boolean isTopologyRead(RedisCommand<?, ?, ?> command) {
			return command.getType() == CommandType.CLUSTER && command.getArgs() != null
					&& command.getArgs().toCommandString().strip().toUpperCase(Locale.ROOT).startsWith("NODES");
		}

		private record Answer(long nanos, SocketAddress local, SocketAddress remote, boolean handshake) {

			boolean within(long fromNanos, long toNanos) {
				return this.nanos - fromNanos >= 0 && toNanos - this.nanos >= 0;
			}

			boolean isTo(Set<InetAddress> addresses) {
				return this.remote instanceof InetSocketAddress inet && addresses.contains(inet.getAddress());
			}

		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		/** {@code test.count-answered-commands=true}: the client's handshakes and reads are counted. */
		@Bean
		@ConditionalOnBooleanProperty("test.count-answered-commands")
		AnsweredCommands answeredCommands() {
			return new AnsweredCommands();
		}

		/** Applied last, so that no other customizer's recorder replaces it. */
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		@ConditionalOnBooleanProperty("test.count-answered-commands")
		ClientResourcesBuilderCustomizer answeredCommandsRecorder(AnsweredCommands answered) {
			return (builder) -> builder.commandLatencyRecorder(answered);
		}

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
