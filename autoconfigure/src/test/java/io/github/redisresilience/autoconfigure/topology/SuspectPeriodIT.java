package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redis.resilience.topology.refresh.suspect-period}: while a master is suspect (frozen,
 * its connection closed unanswered), and then while the client waits for its replica to be
 * promoted, its replicas' view is read every suspect period. Both tests read the topology every
 * 30 s otherwise (period and degraded period), so the suspect period is the only difference.
 * <p>
 * What the suspect reads find first is the cluster's {@code fail} flag, which precedes the
 * promotion by the replica's election delay: the failed master leaves the view
 * ({@code exclude-failed-nodes}, on by default, drops nodes flagged {@code fail}) and its slots
 * are uncovered. Its replicas are read on at the suspect cadence until one shows itself promoted,
 * so the slots follow the promoted replica within a read of the promotion.
 * <p>
 * The cluster's node timeout is 5 s: the master is suspect (after the 2 s command timeout) well
 * before any failover can start, so the read the suspicion starts at once finds nothing new.
 */
class SuspectPeriodIT {

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration LIMIT = Duration.ofSeconds(45);

	private static final List<String> SLOW_READS = List.of("redis.resilience.topology.refresh.period=30s",
			"redis.resilience.topology.refresh.degraded-period=30s");

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

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
			// A write may wait out the retry budget (10 s) first.
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

	/**
	 * Read every suspect period, the replicas' views show the frozen master failed and then one of
	 * them promoted: the client routes the slots to the promoted replica within a second of the
	 * kit seeing the cluster healed (which it sees after the promotion).
	 */
	@Test
	void frozenMastersSlotsFollowThePromotedReplicaWithinASecond() {
		FrozenMaster frozen = freezeAMasterUntilItsFailover();
		RedisClusterClient client = this.context.getBean(TopologyWatcher.class).clusterClient();
		await("the slots routed to the promoted replica").atMost(Duration.ofSeconds(1))
			.until(() -> routesTo(client, frozen.slot(), frozen.promoted()));
		report("suspect period on: slots routed to the promoted replica "
				+ Duration.between(frozen.failover().healed(), Instant.now()).toMillis() + " ms after the failover healed ("
				+ frozen.failover().unhealthyFor().toMillis() + " ms after the freeze)");
	}

	/**
	 * The negative control of the test above: with the suspect period as long as the others, the
	 * only read after the suspicion is the one it starts at once, seconds before the cluster fails
	 * the master; the next comes 24-36 s later, and the slots are not routed to the promoted
	 * replica for seconds after its promotion.
	 */
	@Test
	void controlWithoutTheSuspectCadenceAFrozenMastersSlotsAreNotRoutedToThePromotedReplicaForSeconds() {
		FrozenMaster frozen = freezeAMasterUntilItsFailover("redis.resilience.topology.refresh.suspect-period=30s");
		RedisClusterClient client = this.context.getBean(TopologyWatcher.class).clusterClient();
		await("the slots not routed to the promoted replica").during(Duration.ofSeconds(8))
			.atMost(Duration.ofSeconds(9))
			.until(() -> !routesTo(client, frozen.slot(), frozen.promoted()));
		report("suspect period off: slots still not routed to the promoted replica "
				+ Duration.between(frozen.failover().healed(), Instant.now()).toMillis() + " ms after the failover healed ("
				+ frozen.failover().unhealthyFor().toMillis() + " ms after the freeze)");
	}

	private static boolean routesTo(RedisClusterClient client, int slot, RedisPod pod) {
		RedisClusterNode node = client.getPartitions().getPartitionBySlot(slot);
		return node != null && pod.nodeId().equals(node.getNodeId());
	}

	private FrozenMaster freezeAMasterUntilItsFailover(String... properties) {
		List<String> all = new ArrayList<>(SLOW_READS);
		all.addAll(List.of(properties));
		startApplication(all);
		String key = "suspect-period:{" + Long.toString(System.nanoTime(), 36) + "}";
		RedisPod master = cluster.masterOf(SlotHash.getSlot(key));
		startWriting(key);
		ChaosReport failover = cluster.pauseUntilFailover(master);
		RedisPod promoted = cluster.masterOf(SlotHash.getSlot(key));
		assertThat(promoted).as("promoted replica").isNotSameAs(master);
		return new FrozenMaster(SlotHash.getSlot(key), master, promoted, failover);
	}

	/**
	 * Writes to one key until the test ends, so that the connection to its master goes unanswered
	 * when the master freezes (the signal that makes it suspect); returns once writes went through.
	 */
	private void startWriting(String key) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		this.writing.set(true);
		this.writer = new Thread(() -> {
			for (int i = 0; i < 100_000 && this.writing.get(); i++) {
				try {
					redis.opsForValue().set(key, "v" + i);
					this.written.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// Writes fail while the master is frozen: only the signal they give matters here.
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			}
		}, "suspect-period-writer");
		this.writer.setDaemon(true);
		this.writer.start();
		await().atMost(LIMIT).until(() -> this.written.get() >= 3);
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
		System.out.println("[suspect-period] " + line);
	}

	record FrozenMaster(int slot, RedisPod master, RedisPod promoted, ChaosReport failover) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
