package io.github.redisresilience.autoconfigure.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redis.resilience.topology.exclude-failed-nodes}: a node the cluster agrees has failed
 * leaves the client's view, so Lettuce closes its connections as stale. Each test with the filter
 * on has a negative control with it off, on the same cluster, asserting what the filter prevents.
 */
@WithLocalRedisCluster(shared = false)
class ExcludeFailedNodesIT {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	/** Well past anything the tests wait for: only the mechanism under test can end a wait. */
	private static final String LONG_COMMAND_TIMEOUT = "spring.data.redis.timeout=30s";

	/** The starter's other way out of a frozen master's connection, off so that only the filter is judged. */
	private static final String NO_UNANSWERED_CLOSER = "redis.resilience.timeouts.unanswered=0";

	/**
	 * No command times out and no connection drops while a node is frozen, so nothing makes the
	 * starter read more often than its period: 1 s bounds when the failover is read.
	 */
	private static final String PERIOD = "redis.resilience.topology.refresh.period=1s";

	private static final String FILTER_OFF = "redis.resilience.topology.exclude-failed-nodes=false";

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private Disposable subscription;

	private final List<Reconnect> reconnects = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopApplicationAndRestoreCluster() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (pod.isPaused()) {
				cluster.resume(pod);
			}
			else if (!pod.isRunning()) {
				cluster.restart(pod);
			}
		}
	}

	/**
	 * A write sent to a master that then freezes waits on its connection; once the cluster fails
	 * the master over and the client reads that, the failed node leaves the view, its connection is
	 * closed as stale and the write completes on the promoted replica.
	 */
	@Test
	void writeWaitingOnAFrozenMasterCompletesOnceItsFailoverIsRead() {
		FrozenWrite write = writeToAFrozenMaster();
		await("the write").atMost(LIMIT).until(write.future()::isDone);
		Duration after = Duration.between(write.failover().healed(), Instant.now());
		report("filter on: the write waiting on the frozen master completed " + after.toMillis()
				+ " ms after its failover healed");
		assertThat(write.future()).as("the write").isCompleted();
		assertThat(after).as("completed after the failover healed, within").isLessThan(Duration.ofSeconds(5));
	}

	/**
	 * The negative control of the test above: with the filter off, the failed master stays in the
	 * client's view (flagged {@code fail}, without slots) and its connection stays open, so the
	 * write waits on the frozen node long after its slots were served by the promoted replica,
	 * until the command timeout.
	 */
	@Test
	void controlWithoutExcludingFailedNodesAWriteWaitsOnAFrozenMasterLongAfterItsFailover() {
		FrozenWrite write = writeToAFrozenMaster(FILTER_OFF);
		RedisClusterClient client = client();
		await("the failover read").atMost(LIMIT).until(() -> servesSlot(client, write.slot(), write.master()) == Boolean.FALSE);
		// Its slots are served by the promoted replica meanwhile.
		this.context.getBean(StringRedisTemplate.class).opsForValue().set(write.key() + ":other", "x");
		await("the write keeps waiting").during(Duration.ofSeconds(8))
			.atMost(Duration.ofSeconds(9))
			.until(() -> !write.future().isDone());
		assertFailedMasterInView(client, write.master());
		report("filter off: the write waiting on the frozen master still not done "
				+ Duration.between(write.failover().healed(), Instant.now()).toMillis() + " ms after its failover healed");
	}

	/**
	 * A master killed for good (its pod gone, nothing listening at its address): once the cluster
	 * fails it and the client reads that, the node leaves the view and Lettuce stops dialling it:
	 * no reconnect to it fails any more.
	 */
	@Test
	void killedMasterIsNoLongerDialledOnceTheClusterFailedIt() {
		KilledMaster killed = killAMaster();
		RedisClusterClient client = client();
		await("the failed master leaves the view").atMost(LIMIT).until(() -> node(client, killed.master()) == null);
		Instant left = Instant.now();
		// A reconnect that had started when the view changed may still report: one second of grace.
		Instant from = left.plusSeconds(1);
		await("no failed reconnect to the killed master").during(Duration.ofSeconds(6))
			.atMost(Duration.ofSeconds(7))
			.until(() -> reconnectsTo(killed.master(), from) == 0);
		report("filter on: killed master left the view " + Duration.between(killed.failover().healed(), left).toMillis()
				+ " ms after the heal; " + reconnectsTo(killed.master(), Instant.MIN) + " failed reconnects to it in all, none after");
	}

	/**
	 * The negative control of the test above: with the filter off, the failed master stays in the
	 * view and Lettuce keeps reconnecting to an address where nothing will ever answer: every
	 * attempt is refused (and each keeps the starter in its degraded cadence).
	 */
	@Test
	void controlWithoutExcludingFailedNodesAKilledMasterIsDialledForEver() {
		KilledMaster killed = killAMaster(FILTER_OFF);
		RedisClusterClient client = client();
		await("the failover read").atMost(LIMIT).until(() -> servesSlot(client, killed.slot(), killed.master()) == Boolean.FALSE);
		Instant read = Instant.now();
		Instant from = read.plusSeconds(1);
		// The backoff is at most 1 s: several refused attempts within 6 s.
		await("failed reconnects to the killed master").atMost(Duration.ofSeconds(6))
			.until(() -> reconnectsTo(killed.master(), from) >= 3);
		assertFailedMasterInView(client, killed.master());
		report("filter off: " + reconnectsTo(killed.master(), from) + " failed reconnects to the killed master since "
				+ Duration.between(killed.failover().healed(), from).toMillis() + " ms after the heal");
	}

	private FrozenWrite writeToAFrozenMaster(String... properties) {
		List<String> all = new ArrayList<>(List.of(LONG_COMMAND_TIMEOUT, NO_UNANSWERED_CLOSER, PERIOD));
		all.addAll(List.of(properties));
		startApplication(all);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String key = "frozen-write:{" + Long.toString(System.nanoTime(), 36) + "}";
		int slot = SlotHash.getSlot(key);
		RedisPod master = cluster.masterOf(slot);
		// The application's connection to that master is open and idle.
		redis.opsForValue().set(key + ":warm-up", "x");
		Instant frozen = Instant.now();
		cluster.pause(master);
		CompletableFuture<Void> write = CompletableFuture.runAsync(() -> redis.opsForValue().set(key, "v"));
		ChaosReport failover = new ChaosReport("pause-master " + master.name(), frozen, cluster.awaitHealthy(), List.of());
		assertThat(cluster.masterOf(slot)).as("promoted replica").isNotSameAs(master);
		assertThat(write).as("the write, before the failover is read").isNotDone();
		return new FrozenWrite(key, slot, master, write, failover);
	}

	private KilledMaster killAMaster(String... properties) {
		List<String> all = new ArrayList<>(List.of(PERIOD));
		all.addAll(List.of(properties));
		startApplication(all);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String key = "killed:{" + Long.toString(System.nanoTime(), 36) + "}";
		int slot = SlotHash.getSlot(key);
		RedisPod master = cluster.masterOf(slot);
		// The application holds a connection to that master, which Lettuce reconnects once it drops.
		redis.opsForValue().set(key, "x");
		this.subscription = client().getResources().eventBus().get().subscribe((event) -> {
			if (event instanceof ReconnectFailedEvent failed) {
				this.reconnects.add(new Reconnect(Instant.now(), hostAndPort(failed.remoteAddress())));
			}
		});
		ChaosReport failover = cluster.killMaster(master);
		assertThat(cluster.masterOf(slot)).as("promoted replica").isNotSameAs(master);
		return new KilledMaster(slot, master, failover);
	}

	private long reconnectsTo(RedisPod pod, Instant from) {
		String address = pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort();
		return this.reconnects.stream()
			.filter((reconnect) -> reconnect.at().isAfter(from) && reconnect.remoteAddress().equals(address))
			.count();
	}

	/** Lettuce reports the address it dialled unresolved, as the IP the node announced. */
	private static String hostAndPort(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	/**
	 * Whether the client routes a slot to a pod.
	 * @return {@code null} while no node serves the slot in the client's view
	 */
	private static Boolean servesSlot(RedisClusterClient client, int slot, RedisPod pod) {
		RedisClusterNode node = client.getPartitions().getPartitionBySlot(slot);
		return (node != null) ? pod.nodeId().equals(node.getNodeId()) : null;
	}

	private static void assertFailedMasterInView(RedisClusterClient client, RedisPod master) {
		assertThat(node(client, master)).as("the failed master in the client's view")
			.isNotNull()
			.satisfies((node) -> assertThat(node.is(NodeFlag.FAIL)).as("flagged fail").isTrue());
	}

	private static RedisClusterNode node(RedisClusterClient client, RedisPod pod) {
		return client.getPartitions().getPartitionByNodeId(pod.nodeId());
	}

	private RedisClusterClient client() {
		RedisClusterClient client = this.context.getBean(TopologyWatcher.class).clusterClient();
		assertThat(client).as("the application's cluster client").isNotNull();
		return client;
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
		System.out.println("[exclude-failed-nodes] " + line);
	}

	record FrozenWrite(String key, int slot, RedisPod master, CompletableFuture<Void> future, ChaosReport failover) {

	}

	record KilledMaster(int slot, RedisPod master, ChaosReport failover) {

	}

	record Reconnect(Instant at, String remoteAddress) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
