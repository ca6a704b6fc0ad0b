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
		if (LocalRedisCluster.isDnsEnabled()) {
			assertThat(InetAddress.getByName(cluster.clusterIpServiceName())).isEqualTo(service.address().getAddress());
		}
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
