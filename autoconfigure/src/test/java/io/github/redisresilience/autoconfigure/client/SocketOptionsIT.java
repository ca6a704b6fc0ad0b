package io.github.redisresilience.autoconfigure.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.event.connection.DisconnectedEvent;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.topology.TopologyCounters;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.Partition;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresIptables;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redis.resilience.socket.*}: the kernel drops a connection to a peer that went silent, a
 * master cut off with iptables, which acknowledges nothing. With {@code tcp-user-timeout} a
 * connection whose sent data stays unacknowledged that long; with keepalive an idle connection
 * whose probes go unanswered (5 s idle, then 3 probes 1 s apart). Without either, the kernel
 * retransmits for many minutes, or on an idle connection never notices, and the connection stays
 * open.
 * <p>
 * Every other way out of that connection is off in each pair, so the option under test is the
 * only difference: closing unanswered connections ({@code timeouts.unanswered=0}), dropping failed
 * nodes from the view ({@code exclude-failed-nodes=false}, which would close it as stale once the
 * cluster fails the master over), the command timeout (60 s) and the other socket option. The
 * starter reads the topology over the application's connection to one master, the same one as
 * long as it answers: the master cut off is another one, so that no read leaves data
 * unacknowledged on the connection meant to stay idle (keepalive probes only idle connections).
 */
@WithLocalRedisCluster(shared = false)
@RequiresIptables
class SocketOptionsIT {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	private static final String CLIENT_NAME = "socket-options-it";

	private static final List<String> NOTHING_ELSE_CLOSES = List.of("spring.data.redis.timeout=60s",
			"redis.resilience.timeouts.unanswered=0", "redis.resilience.topology.exclude-failed-nodes=false",
			"spring.data.redis.client-name=" + CLIENT_NAME);

	private static final String NO_KEEPALIVE = "redis.resilience.socket.keepalive.enabled=false";

	private static final String NO_TCP_USER_TIMEOUT = "redis.resilience.socket.tcp-user-timeout=0";

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private Disposable subscription;

	private final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopApplicationAndRestoreCluster() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (pod.isIsolated()) {
				cluster.movePod(pod, OldAddresses.REFUSE);
			}
		}
	}

	/**
	 * With the default 5 s, the connection on which a write waits for a cut-off master is dropped
	 * by the kernel a few seconds after the write was sent.
	 */
	@Test
	void connectionToACutOffMasterIsDroppedSecondsAfterAWriteGoesUnacknowledged() {
		Optional<Duration> dropped = cutOffAMaster(true, Duration.ofSeconds(10), NO_KEEPALIVE,
				"redis.resilience.socket.tcp-user-timeout=5s");
		assertThat(dropped).as("dropped within 10 s of the cut and the write").isPresent();
		assertThat(dropped.get()).as("not before the user timeout").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
	}

	/**
	 * The negative control of the test above: with the timeout off, the kernel keeps retransmitting
	 * and the connection stays open, the write waiting on it.
	 */
	@Test
	void controlWithoutTheTcpUserTimeoutTheConnectionToACutOffMasterStaysOpen() {
		Optional<Duration> dropped = cutOffAMaster(true, Duration.ofSeconds(15), NO_KEEPALIVE, NO_TCP_USER_TIMEOUT);
		assertThat(dropped).as("dropped within 15 s of the cut and the write").isEmpty();
	}

	/**
	 * With keepalive on (5 s idle, 3 probes 1 s apart), an idle connection to a cut-off master is
	 * dropped by the kernel about 8 s after its last exchange.
	 */
	@Test
	void idleConnectionToACutOffMasterIsDroppedByKeepalive() {
		Optional<Duration> dropped = cutOffAMaster(false, Duration.ofSeconds(15), NO_TCP_USER_TIMEOUT,
				"redis.resilience.socket.keepalive.enabled=true");
		assertThat(dropped).as("dropped within 15 s of the cut").isPresent();
		assertThat(dropped.get()).as("not before the keepalive idle time").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
	}

	/**
	 * The negative control of the test above: with keepalive off, nothing is sent on an idle
	 * connection, so the kernel never learns that the peer is gone and the connection stays open.
	 */
	@Test
	void controlWithoutKeepaliveAnIdleConnectionToACutOffMasterStaysOpen() {
		Optional<Duration> dropped = cutOffAMaster(false, Duration.ofSeconds(20), NO_TCP_USER_TIMEOUT, NO_KEEPALIVE);
		assertThat(dropped).as("dropped within 20 s of the cut").isEmpty();
	}

	/**
	 * @param write whether to send a write on the connection once the master is cut off (else
	 * it stays idle)
	 * @param within how long after the cut to wait for the connection to be dropped
	 * @return how long after the cut the connection to the master was dropped, if it was
	 */
	private Optional<Duration> cutOffAMaster(boolean write, Duration within, String... properties) {
		List<String> all = new ArrayList<>(NOTHING_ELSE_CLOSES);
		all.addAll(List.of(properties));
		// The master cut off by the previous test has rejoined as a replica: the application starts
		// on the roles every node agrees on, and reads its topology from a node whose role stays.
		cluster.awaitHealthy();
		startApplication(all);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		await("the first topology read").atMost(LIMIT)
			.until(() -> watcher.counters().reads(TopologyCounters.Kind.HELD) >= 1);
		String key = keyNotServedByTheReadSource();
		RedisPod master = cluster.masterOf(SlotHash.getSlot(key));
		// The application's connection to that master is open and idle.
		redis.opsForValue().set(key, "x");
		RedisClusterClient client = watcher.clusterClient();
		assertThat(client).as("the application's cluster client").isNotNull();
		this.subscription = client.getResources().eventBus().get().subscribe((event) -> {
			if (event instanceof DisconnectedEvent disconnected) {
				this.disconnects.add(new Disconnect(Instant.now(), hostAndPort(disconnected.remoteAddress())));
			}
		});
		String address = master.address().getAddress().getHostAddress() + ":" + master.address().getPort();
		Optional<Duration> dropped;
		try (Partition cut = cluster.partition(master)) {
			Instant sent = Instant.now();
			CompletableFuture<Void> pending = write ? CompletableFuture.runAsync(() -> redis.opsForValue().set(key, "y"))
					: CompletableFuture.completedFuture(null);
			try {
				await().atMost(within).until(() -> firstDisconnect(address).isPresent());
			}
			catch (ConditionTimeoutException ex) {
				// Reported as empty below.
			}
			dropped = firstDisconnect(address).map((at) -> Duration.between(sent, at));
			report(String.join(", ", properties) + ": " + (write ? "busy" : "idle") + " connection to the cut-off master "
					+ dropped.map((after) -> "dropped " + after.toMillis() + " ms after the cut")
						.orElse("still open " + Duration.between(sent, Instant.now()).toMillis() + " ms after the cut")
					+ (write ? "; the write " + (pending.isDone() ? "done" : "still waiting") : ""));
			// Every cut outlasts the node timeout, so the cluster fails the master over: the cut is
			// lifted only once a replica serves its slots. Lifted mid-election, the promotion would
			// complete during the next test, after its application chose where to read the topology.
			cluster.awaitHealthy();
		}
		return dropped;
	}

	/**
	 * Whether the application's last command on a master was the starter's topology read: its
	 * source (Redis 7 lists the command as {@code cluster|nodes}, 6.2 as {@code cluster}).
	 */
	private static boolean isReadSource(RedisPod master) {
		RedisClient sampler = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = sampler
			.connect(RedisURI.create(master.address().getHostString(), master.address().getPort()))) {
			return connection.sync()
				.clientList()
				.lines()
				.anyMatch((line) -> line.contains(" name=" + CLIENT_NAME + " ") && line.contains(" cmd=cluster"));
		}
		finally {
			sampler.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/**
	 * A key whose master is not the source of the starter's topology reads. Every pod is sampled,
	 * replicas too: a source that is a replica (a role changed after the application chose it)
	 * leaves every master's connection to the application alone.
	 */
	private static String keyNotServedByTheReadSource() {
		List<RedisPod> sources = cluster.pods()
			.stream()
			.filter(RedisPod::isRunning)
			.filter(SocketOptionsIT::isReadSource)
			.toList();
		assertThat(sources).as("pods the starter read the topology from, among " + cluster.pods()).isNotEmpty();
		for (int i = 0; i < 1000; i++) {
			String key = "cut-off:{" + Long.toString(System.nanoTime(), 36) + "-" + i + "}";
			if (!sources.contains(cluster.masterOf(SlotHash.getSlot(key)))) {
				return key;
			}
		}
		throw new IllegalStateException("No key found outside the slots of " + sources);
	}

	private Optional<Instant> firstDisconnect(String address) {
		return this.disconnects.stream()
			.filter((disconnect) -> disconnect.remoteAddress().equals(address))
			.map(Disconnect::at)
			.findFirst();
	}

	/** Lettuce reports the address it dialled unresolved, as the IP the node announced. */
	private static String hostAndPort(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	private void startApplication(List<String> properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"redis.resilience.dns.resolver=jdk"));
		all.addAll(properties);
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	private static void report(String line) {
		System.out.println("[socket] " + line);
	}

	record Disconnect(Instant at, String remoteAddress) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
