package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ClusterIP service spreads new connections over the ready pods and follows them when they move.
 */
@WithLocalRedisCluster(replicasPerMaster = 0, shared = false)
class ClusterIpServiceIT {

	static LocalRedisCluster cluster;

	@Test
	void eachNewConnectionReachesARandomReadyPodAndFollowsMovedPods() throws IOException {
		ClusterIpService service = cluster.startClusterIpService();
		assertThat(reachedNodeIds(service, 40)).hasSize(3);

		cluster.moveAllPods(OldAddresses.REFUSE);

		Set<String> afterMove = reachedNodeIds(service, 40);
		assertThat(afterMove).hasSize(3);
		RequiredCapabilities.requireHostsFile();
		assertThat(InetAddress.getByName(cluster.clusterIpServiceName())).isEqualTo(service.address().getAddress());
	}

	@Test
	void aFrozenPodLeavesTheServiceOnceItsReadinessDelayHasPassed() throws IOException {
		try (LocalRedisCluster small = LocalRedisCluster.builder()
			.replicasPerMaster(0)
			.readinessDelay(Duration.ofMillis(300))
			.start()) {
			ClusterIpService service = small.startClusterIpService();
			RedisPod frozen = small.pod(2);
			small.pause(frozen);

			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> reachedNodeIdsWithin(service, 30, Duration.ofMillis(500)).size() == 2);
			RequiredCapabilities.requireHostsFile();
			assertThat(InetAddress.getAllByName(small.serviceName())).hasSize(2)
				.doesNotContain(frozen.address().getAddress());
			small.resume(frozen);
		}
	}

	private static Set<String> reachedNodeIdsWithin(ClusterIpService service, int connections, Duration timeout) {
		Set<String> nodeIds = new HashSet<>();
		for (int i = 0; i < connections; i++) {
			try (RespConnection connection = RespConnection.open(service.address(), timeout)) {
				nodeIds.add(connection.callForString("CLUSTER", "MYID"));
			}
			catch (IOException ex) {
				nodeIds.add("no answer");
			}
		}
		return nodeIds;
	}

	private static Set<String> reachedNodeIds(ClusterIpService service, int connections) throws IOException {
		Set<String> nodeIds = new HashSet<>();
		for (int i = 0; i < connections; i++) {
			try (RespConnection connection = RespConnection.open(service.address(), Duration.ofSeconds(2))) {
				nodeIds.add(connection.callForString("CLUSTER", "MYID"));
			}
		}
		return nodeIds;
	}

}
