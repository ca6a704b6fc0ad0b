package io.github.redisresilience.autoconfigure.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;
import io.github.redisresilience.test.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application keeps working, without a failed operation or a lost write, while the cluster is
 * scaled out and in under its load the way operators do it with {@code redis-cli --cluster}: a
 * master is added and gets slots migrated to it (the client sees {@code ASK} during each slot's
 * move and {@code MOVED} afterwards), a replica is added to it, the master is drained and
 * removed, then the replica. The client's topology and the {@code redistopology} endpoint follow
 * each step. Beside the chaos workload, a second one writes into the slots moved first, which
 * hold hundreds of keys each and move in paced batches, so that clients do follow {@code ASK} redirects: the new master
 * counts the {@code ASKING} commands it served.
 */
@WithLocalRedisCluster(shared = false)
class ScaleOutInIT extends ChaosTestSupport {

	private static final int MIGRATED_SLOTS = 512;

	private static final int HOT_SLOTS_PER_MASTER = 2;

	private static final int KEYS_PER_HOT_SLOT = 500;

	static LocalRedisCluster cluster;

	private long askingCalls;

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesScalingOutAndInUnderLoad(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes(), "--management.endpoints.jmx.exposure.include=redistopology",
				"--management.endpoints.web.exposure.include=redistopology");
		List<String> hotTags = hotTags();
		Map<String, String> filled = fill(hotTags);
		Workload hot = workload(inHotSlots(hotTags), 2, Duration.ofMillis(10));
		try {
			runScenario("scale out and in", blocking(), (workload) -> scaleOutAndIn());
		}
		finally {
			hot.close();
		}
		System.out.printf("[chaos] %-12s scale out and in, hot slots: %d of %d operations failed; longest operation %d ms; "
				+ "ASKING served by the new master %d; errors %s%n", mode, hot.failures(), hot.outcomes().size(),
				hot.longestOperation().toMillis(), this.askingCalls, hot.sampleErrors(3));
		assertThat(cluster.pods()).hasSize(6);
		assertThat(cluster.isHealthy()).isTrue();
		if (mode != ClientMode.STARTER) {
			return;
		}
		assertThat(hot.failures(Workload.Step.WRITE_OR_READ) + hot.failures(Workload.Step.READ))
			.as("failed SET/GET in the migrating slots (%s)", hot.sampleErrors(3))
			.isZero();
		// An INCR in flight when the drained master stops is never answered: its fate is unknown
		// and it is not re-sent (retry.ambiguous=idempotent-only). At most one per thread.
		assertThat(hot.failures(Workload.Step.INCREMENT)).as("failed INCR in the migrating slots (%s)", hot.sampleErrors(3))
			.isLessThanOrEqualTo(hot.threads());
		assertThat(this.askingCalls).as("clients followed ASK redirects to the importing master").isPositive();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		hot.acknowledgedWrites().forEach((key, value) -> assertThat(redis.opsForValue().get(hotKey(key, hotTags))).as(key).isEqualTo(value));
		Workload.IncrementLedger increments = hot.checkIncrements((key) -> redis.opsForValue().get(hotKey(key, hotTags)));
		assertThat(increments.lost()).as("acknowledged INCR lost in the migrating slots").isEmpty();
		assertThat(increments.doubled()).as("INCR applied twice in the migrating slots").isEmpty();
		filled.forEach((key, value) -> assertThat(redis.opsForValue().get(key)).as(key).isEqualTo(value));
	}

	/**
	 * Hash tags of the last slots of every master: the first the kit moves (it takes the highest
	 * slots of each source, as redis-cli does).
	 */
	private static List<String> hotTags() {
		Set<Integer> hotSlots = new HashSet<>();
		for (RedisPod master : cluster.masters()) {
			List<Integer> slots = cluster.slotsOf(master);
			hotSlots.addAll(slots.subList(slots.size() - HOT_SLOTS_PER_MASTER, slots.size()));
		}
		Map<Integer, String> tags = new TreeMap<>();
		for (int i = 0; i < 1_000_000 && tags.size() < hotSlots.size(); i++) {
			int slot = SlotHash.getSlot("hot" + i);
			if (hotSlots.contains(slot)) {
				tags.putIfAbsent(slot, "hot" + i);
			}
		}
		assertThat(tags).hasSameSizeAs(hotSlots);
		return List.copyOf(tags.values());
	}

	/** Keys in the hot slots before the move: each slot's migration takes many MIGRATE batches. */
	private Map<String, String> fill(List<String> hotTags) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		Map<String, String> filled = new HashMap<>();
		for (String tag : hotTags) {
			for (int i = 0; i < KEYS_PER_HOT_SLOT; i++) {
				filled.put("filled:" + i + "{" + tag + "}", "f" + i);
			}
		}
		filled.forEach(redis.opsForValue()::set);
		return filled;
	}

	/** The workload's keys moved into the hot slots: the first hash tag is the one Redis hashes. */
	private static String hotKey(String key, List<String> hotTags) {
		String tag = hotTags.get(Math.floorMod(key.hashCode(), hotTags.size()));
		return "hot:" + key.replace("{", "").replace("}", "") + "{" + tag + "}";
	}

	private Workload.Operations inHotSlots(List<String> hotTags) {
		Workload.Operations operations = blocking();
		return Workload.Operations.of((key, value) -> operations.write(hotKey(key, hotTags), value),
				(key) -> operations.read(hotKey(key, hotTags)), (key) -> operations.increment(hotKey(key, hotTags)));
	}

	/** How many ASKING commands a master served: each one a client following an ASK redirect. */
	private static long askingCalls(RedisPod master) {
		RedisClient client = RedisClient.create(RedisURI.create(master.address().getHostString(), master.address().getPort()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			Matcher calls = Pattern.compile("cmdstat_asking:calls=(\\d+)").matcher(connection.sync().info("commandstats"));
			return calls.find() ? Long.parseLong(calls.group(1)) : 0;
		}
		finally {
			client.shutdown();
		}
	}

	private ChaosReport scaleOutAndIn() {
		Instant started = Instant.now();
		RedisPod master = cluster.addMaster();
		cluster.migrateSlots(master, MIGRATED_SLOTS, Duration.ofMillis(5));
		this.askingCalls = askingCalls(master);
		awaitClientSees(master, true, MIGRATED_SLOTS);
		RedisPod replica = cluster.addReplica(master);
		awaitClientSees(replica, true, 0);
		cluster.removeMaster(master);
		awaitClientSees(master, false, 0);
		ChaosReport last = cluster.removeReplica(replica);
		awaitClientSees(replica, false, 0);
		return new ChaosReport("scale out and in", started, last.healed(), List.of());
	}

	/**
	 * The starter's client lists the node (with the given number of slots) or no longer lists it,
	 * and so does the topology endpoint.
	 */
	private void awaitClientSees(RedisPod pod, boolean listed, int slots) {
		if (this.mode != ClientMode.STARTER) {
			return;
		}
		RedisClusterClient client = this.context.getBean(TopologyWatcher.class).clusterClient();
		RedisTopologyEndpoint endpoint = this.context.getBean(RedisTopologyEndpoint.class);
		await("the client " + (listed ? "lists " : "no longer lists ") + pod).atMost(RECOVERY_LIMIT).untilAsserted(() -> {
			Optional<RedisClusterNode> node = client.getPartitions()
				.stream()
				.filter((candidate) -> candidate.getNodeId().equals(pod.nodeId()))
				.findFirst();
			assertThat(node.isPresent()).isEqualTo(listed);
			node.ifPresent((present) -> assertThat(present.getSlots()).hasSize(slots));
			List<NodeDescriptor> nodes = endpoint.topology().nodes();
			assertThat(nodes.stream().anyMatch((described) -> described.id().equals(pod.nodeId()))).isEqualTo(listed);
		});
	}

}
