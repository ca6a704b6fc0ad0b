package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Scaling a real cluster out and in: a new master gets slots with their keys, a replica syncs
 * from it, the master is drained and removed, then the replica; every key written before stays
 * readable, every node agrees, and the names follow.
 */
@WithLocalRedisCluster(shared = false, replicasPerMaster = 0)
class ScaleOperationsIT {

	static LocalRedisCluster cluster;

	@Test
	void scalesOutAndInKeepingEveryKey() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "scale", 500);

		RedisPod master = cluster.addMaster();

		assertThat(cluster.masters()).hasSize(4).contains(master);
		assertThat(cluster.slotsOf(master)).as("a new master is empty").isEmpty();
		assertPublished(master);

		ChaosReport migration = cluster.migrateSlots(master, 1000);

		assertThat(migration.operation()).startsWith("migrate 1000 slots");
		assertThat(cluster.slotsOf(master)).hasSize(1000);
		assertThat(cluster.masters().stream().filter((other) -> other != master))
			.allSatisfy((other) -> assertThat(cluster.slotsOf(other).size()).isBetween(16384 / 3 - 340, 16384 / 3 - 330));
		assertThat(cluster.masterOf(cluster.slotsOf(master).get(0))).isSameAs(master);
		assertAllReadable(before);
		assertThat(before.keySet().stream().filter((key) -> isServedBy(key, master))).as("keys that moved with their slots")
			.isNotEmpty();

		RedisPod replica = cluster.addReplica(master);

		assertThat(cluster.replicasOf(master)).containsExactly(replica);
		assertPublished(replica);

		cluster.removeMaster(master);

		assertThat(cluster.pods()).doesNotContain(master);
		assertThat(cluster.masters()).hasSize(3);
		assertThat(cluster.masters().stream().mapToInt((other) -> cluster.slotsOf(other).size()).sum()).isEqualTo(16384);
		assertThat(cluster.replicas()).as("its replica follows a remaining master").containsExactly(replica);
		assertThat(cluster.isHealthy()).isTrue();
		assertWithdrawn(master);
		assertAllReadable(before);

		cluster.removeReplica(replica);

		assertThat(cluster.pods()).hasSize(3).doesNotContain(replica);
		assertThat(cluster.isHealthy()).isTrue();
		assertWithdrawn(replica);
		assertAllReadable(before);
		assertThatIllegalStateException().as("three masters is the least").isThrownBy(() -> cluster.removeMaster(cluster.masters().get(0)));
	}

	private static boolean isServedBy(String key, RedisPod master) {
		try {
			return cluster.slotsOf(master).contains(Integer.parseInt(ClusterData.call(cluster, "CLUSTER", "KEYSLOT", key)));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertAllReadable(Map<String, String> written) throws IOException {
		for (Map.Entry<String, String> entry : written.entrySet()) {
			assertThat(ClusterData.get(cluster, entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
		}
	}

	private static void assertPublished(RedisPod pod) throws UnknownHostException {
		if (LocalRedisCluster.isDnsEnabled()) {
			assertThat(InetAddress.getByName(pod.hostname()).getHostAddress()).isEqualTo(pod.address().getHostString());
			assertThat(List.of(InetAddress.getAllByName(cluster.serviceName())))
				.extracting(InetAddress::getHostAddress)
				.contains(pod.address().getHostString());
		}
	}

	private static void assertWithdrawn(RedisPod pod) throws UnknownHostException {
		if (LocalRedisCluster.isDnsEnabled()) {
			assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> InetAddress.getByName(pod.hostname()));
			assertThat(List.of(InetAddress.getAllByName(cluster.serviceName())))
				.extracting(InetAddress::getHostAddress)
				.doesNotContain(pod.address().getHostString());
		}
	}

}
