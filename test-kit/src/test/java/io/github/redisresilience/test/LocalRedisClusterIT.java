package io.github.redisresilience.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Every chaos operation of the kit against one real cluster, in order: each must leave a healthy
 * cluster with the same node IDs at the new addresses and every key written before readable.
 */
@WithLocalRedisCluster(shared = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRedisClusterIT {

	static LocalRedisCluster cluster;

	@Test
	@Order(1)
	void formsAHealthyClusterOfThreeMastersWithOneReplicaEach() {
		assertThat(cluster.isHealthy()).isTrue();
		assertThat(cluster.masters()).hasSize(3);
		assertThat(cluster.replicas()).hasSize(3);
		assertThat(cluster.pods()).extracting(RedisPod::nodeId).doesNotHaveDuplicates().allMatch((id) -> id.length() == 40);
		assertThat(addresses(cluster.pods())).doesNotHaveDuplicates()
			.allMatch((address) -> address.getAddress().isLoopbackAddress() && !"127.0.0.1".equals(address.getHostString()));
	}

	@Test
	@Order(2)
	void movingAllPodsKeepsNodeIdsAndDataAtNewAddresses() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "move-all", 200);
		Map<String, InetSocketAddress> oldAddresses = addressesByNodeId();
		List<String> masters = cluster.masters().stream().map(RedisPod::nodeId).toList();

		ChaosReport report = cluster.moveAllPods(OldAddresses.REFUSE);

		assertThat(report.addressChanges()).hasSize(6);
		assertThat(addressesByNodeId().keySet()).isEqualTo(oldAddresses.keySet());
		addressesByNodeId().forEach((id, address) -> assertThat(address).isNotEqualTo(oldAddresses.get(id)));
		assertThat(cluster.masters()).extracting(RedisPod::nodeId).as("no failover while moving")
			.containsExactlyInAnyOrderElementsOf(masters);
		assertThat(cluster.isHealthy()).isTrue();
		assertAllReadable(before);
	}

	@Test
	@Order(3)
	void movingAllPodsWithBlackHolesMakesOldAddressesHangUntilReleased() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "black-hole", 200);

		ChaosReport report = cluster.moveAllPods(OldAddresses.BLACK_HOLE);

		for (AddressChange change : report.addressChanges()) {
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connect(change.from(), 300));
		}
		assertThat(cluster.isHealthy()).isTrue();
		assertAllReadable(before);

		// Client and cluster bus port of every moved pod.
		assertThat(cluster.releaseOldAddresses()).isEqualTo(2 * report.addressChanges().size());
		for (AddressChange change : report.addressChanges()) {
			assertThatExceptionOfType(ConnectException.class).as("released: refused at once")
				.isThrownBy(() -> connect(change.from(), 300));
		}
	}

	@Test
	@Order(4)
	void rollingMoveReschedulesEveryPodOneAtATime() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "rolling", 200);
		Set<String> nodeIds = addressesByNodeId().keySet();

		ChaosReport report = cluster.rollingMove(OldAddresses.REFUSE);

		assertThat(report.addressChanges()).extracting(AddressChange::nodeId).containsExactlyInAnyOrderElementsOf(nodeIds);
		assertThat(report.healed()).isAfter(report.started());
		assertAllReadable(before);
	}

	@Test
	@Order(5)
	void killingAMasterPromotesItsReplicaAndRestartingBringsItBackAsReplica() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "kill", 200);
		RedisPod master = cluster.masterOf(0);

		cluster.killMaster(master);

		assertThat(master.isRunning()).isFalse();
		assertThat(cluster.masterOf(0)).isNotSameAs(master);
		assertThat(cluster.masters()).hasSize(3);
		assertAllReadable(before);

		cluster.restart(master);

		assertThat(master.isRunning()).isTrue();
		assertThat(master.role()).isEqualTo(Role.REPLICA);
		assertThat(cluster.isHealthy()).isTrue();
	}

	@Test
	@Order(6)
	void restartingAPodKeepsItsAddressAndNodeId() throws IOException {
		RedisPod pod = cluster.pod(1);
		InetSocketAddress address = pod.address();
		String nodeId = pod.nodeId();
		long pid = pod.pid();

		cluster.restart(pod);

		assertThat(pod.address()).isEqualTo(address);
		assertThat(pod.nodeId()).isEqualTo(nodeId);
		assertThat(pod.pid()).isNotEqualTo(pid);
		assertThat(ClusterData.call(cluster, "PING")).isEqualTo("PONG");
	}

	@Test
	@Order(7)
	void pausingAMasterFailsItOverWhileFrozenAndResumingDemotesIt() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "pause", 200);
		RedisPod master = cluster.masterOf(5000);

		cluster.pauseUntilFailover(master);

		assertThat(master.isPaused()).isTrue();
		assertThat(cluster.masterOf(5000)).isNotSameAs(master);
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> {
			try (var connection = RespConnection.open(master.address(), java.time.Duration.ofMillis(300))) {
				connection.call("PING");
			}
		});

		cluster.resume(master);

		assertThat(master.isPaused()).isFalse();
		assertThat(master.role()).isEqualTo(Role.REPLICA);
		assertAllReadable(before);
	}

	@Test
	@Order(8)
	void namesFollowThePods() throws IOException {
		RequiredCapabilities.requireHostsFile();
		RedisPod pod = cluster.pod(0);
		assertThat(InetAddress.getByName(pod.hostname())).isEqualTo(pod.address().getAddress());
		assertThat(serviceAddresses()).containsExactlyInAnyOrderElementsOf(
				addresses(cluster.pods()).stream().map(InetSocketAddress::getAddress).toList());

		cluster.movePod(pod, OldAddresses.REFUSE);

		assertThat(InetAddress.getByName(pod.hostname())).isEqualTo(pod.address().getAddress());
		assertThat(serviceAddresses()).contains(pod.address().getAddress());
	}

	@Test
	@Order(9)
	void aKilledPodLeavesTheServiceUntilItIsRestarted() throws IOException {
		RequiredCapabilities.requireHostsFile();
		RedisPod master = cluster.masterOf(12000);

		cluster.killMaster(master);

		assertThat(serviceAddresses()).doesNotContain(master.address().getAddress()).hasSize(5);
		assertThatExceptionOfType(java.net.UnknownHostException.class)
			.isThrownBy(() -> InetAddress.getByName(master.hostname()));

		cluster.restart(master);

		assertThat(serviceAddresses()).contains(master.address().getAddress()).hasSize(6);
	}

	@Test
	@Order(10)
	void flushingDeletesEveryKeyOnEveryNodeAndLeavesNothingToLoad() throws IOException {
		ClusterData.writeKeys(cluster, "flush", 2000);
		for (RedisPod master : cluster.masters()) {
			assertThat(appendOnlyFileSize(master)).as("%s holds its share of 2000 keys", master).isGreaterThan(10_000);
		}

		cluster.flushAll();

		for (RedisPod pod : cluster.pods()) {
			try (RespConnection connection = cluster.connect(pod)) {
				assertThat(connection.call("DBSIZE")).as("keys on %s", pod).isEqualTo(0L);
			}
			// Rewritten: a restart loads an empty data set, not every write and then the flush.
			assertThat(appendOnlyFileSize(pod)).as("append-only file of %s", pod).isLessThan(1024);
		}
		assertThat(cluster.isHealthy()).isTrue();
	}

	private static long appendOnlyFileSize(RedisPod pod) throws IOException {
		try (RespConnection connection = cluster.connect(pod)) {
			for (String line : connection.callForString("INFO", "persistence").split("\r?\n")) {
				if (line.startsWith("aof_current_size:")) {
					return Long.parseLong(line.substring("aof_current_size:".length()).strip());
				}
			}
		}
		throw new IllegalStateException(pod + " reports no aof_current_size");
	}

	private static List<InetAddress> serviceAddresses() throws IOException {
		return List.of(InetAddress.getAllByName(cluster.serviceName()));
	}

	private static void connect(InetSocketAddress address, int timeoutMillis) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(address, timeoutMillis);
		}
	}

	private static void assertAllReadable(Map<String, String> written) throws IOException {
		for (Map.Entry<String, String> entry : written.entrySet()) {
			assertThat(ClusterData.get(cluster, entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
		}
	}

	private static List<InetSocketAddress> addresses(List<RedisPod> pods) {
		return pods.stream().map(RedisPod::address).toList();
	}

	private static Map<String, InetSocketAddress> addressesByNodeId() {
		return cluster.pods().stream().collect(Collectors.toMap(RedisPod::nodeId, RedisPod::address));
	}

}
