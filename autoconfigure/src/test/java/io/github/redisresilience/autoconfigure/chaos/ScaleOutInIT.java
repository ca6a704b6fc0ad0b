package io.github.redisresilience.autoconfigure.chaos;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application keeps working, without a failed operation or a lost write, while the cluster is
 * scaled out and in under its load the way operators do it with {@code redis-cli --cluster}: a
 * master is added and gets slots migrated to it (the client sees {@code ASK} during each slot's
 * move and {@code MOVED} afterwards), a replica is added to it, the master is drained and
 * removed, then the replica. The client's topology and the {@code redistopology} endpoint follow
 * each step.
 */
@WithLocalRedisCluster(shared = false)
class ScaleOutInIT extends ChaosTestSupport {

	private static final int MIGRATED_SLOTS = 512;

	static LocalRedisCluster cluster;

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesScalingOutAndInUnderLoad(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes(), "--management.endpoints.jmx.exposure.include=redistopology",
				"--management.endpoints.web.exposure.include=redistopology");
		runScenario("scale out and in", blocking(), (workload) -> scaleOutAndIn());
		assertThat(cluster.pods()).hasSize(6);
		assertThat(cluster.isHealthy()).isTrue();
	}

	private ChaosReport scaleOutAndIn() {
		Instant started = Instant.now();
		RedisPod master = cluster.addMaster();
		cluster.migrateSlots(master, MIGRATED_SLOTS);
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
