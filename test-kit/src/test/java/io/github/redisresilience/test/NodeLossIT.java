package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Cutting pod IPs off with iptables, and losing a Kubernetes node with it, against a real cluster.
 */
@RequiresIptables
@WithLocalRedisCluster(shared = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLossIT {

	static LocalRedisCluster cluster;

	@Test
	@Order(1)
	void aPartitionMakesThePodHangUntilItIsClosed() throws IOException {
		RedisPod pod = cluster.replicas().get(0);

		try (Partition partition = cluster.partition(pod)) {
			assertThat(partition.address()).isEqualTo(pod.address().getAddress());
			assertThat(pod.isIsolated()).isTrue();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connect(pod.address(), 300));
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> connect(new InetSocketAddress(pod.address().getAddress(), cluster.port() + 10_000), 300));
		}

		assertThat(pod.isIsolated()).isFalse();
		assertThatNoException().isThrownBy(() -> connect(pod.address(), 1000));
		cluster.awaitHealthy();
	}

	@Test
	@Order(2)
	void losingANodeFailsItsMasterOverAndReschedulesItsPodsWhileTheOldAddressesHang() throws IOException {
		Map<String, String> before = ClusterData.writeKeys(cluster, "node-loss", 200);
		List<RedisPod> pods = cluster.podsOfOneNode();
		RedisPod master = pods.get(0);
		RedisPod replica = pods.get(1);
		assertThat(master.role()).isEqualTo(Role.MASTER);
		assertThat(replica.role()).isEqualTo(Role.REPLICA);
		assertThat(cluster.replicasOf(master)).doesNotContain(replica);

		NodeLoss loss = cluster.loseNode(pods);

		assertThat(loss.promoted()).isAfter(loss.started());
		assertThat(loss.healed()).isAfterOrEqualTo(loss.promoted());
		// The rest of the cluster waits the node timeout (2 s) before it fails the master over.
		assertThat(loss.failoverTook()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(loss.addressChanges()).hasSize(2);
		for (AddressChange change : loss.addressChanges()) {
			assertThat(change.to()).isNotEqualTo(change.from());
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connect(change.from(), 300));
		}
		assertThat(cluster.masterOf(0)).isNotSameAs(master);
		assertThat(master.role()).isEqualTo(Role.REPLICA);
		assertThat(pods).allMatch((pod) -> pod.isRunning() && !pod.isIsolated());
		assertThat(cluster.isHealthy()).isTrue();
		// No node keeps a half-open connection from a cut-off address (a master would wait 10 s for
		// such a replica link when it is next stopped).
		for (RedisPod pod : cluster.pods()) {
			try (RespConnection connection = cluster.connect(pod)) {
				String clients = connection.callForString("CLIENT", "LIST");
				for (AddressChange change : loss.addressChanges()) {
					assertThat(clients).doesNotContain("addr=" + change.from().getAddress().getHostAddress() + ":");
				}
			}
		}
		for (Map.Entry<String, String> entry : before.entrySet()) {
			assertThat(ClusterData.get(cluster, entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
		}
	}

	@Test
	@Order(3)
	void aChainLeftBehindByAJvmThatIsGoneIsRemoved() throws Exception {
		Process gone = new ProcessBuilder("true").start();
		assertThat(gone.waitFor()).isZero();
		String orphan = "RKIT-" + gone.pid() + "-0bad";
		iptables("-N", orphan);
		iptables("-I", "OUTPUT", "-j", orphan);

		String name;
		try (IptablesChain chain = IptablesChain.open("reaper-test")) {
			name = chain.name();
			assertThat(iptables("-S")).doesNotContain(orphan).contains("-N " + name);
		}

		assertThat(iptables("-S")).doesNotContain(name).doesNotContain(orphan);
	}

	/**
	 * A master cut off the cluster bus is failed over by the rest of the cluster and, for as long
	 * as the cut lasts (here well past the node timeout, when its unanswered pings would have it
	 * count its peers as failing and refuse commands), keeps serving as the master it believes it
	 * is; once the cut closes it hears of its failover and rejoins as a replica.
	 */
	@Test
	@Order(4)
	void aMasterCutOffTheClusterBusServesAsOneUntilTheCutCloses() throws IOException {
		RedisPod master = cluster.masterOf(0);

		try (Partition cut = cluster.cutClusterBus(master)) {
			cluster.awaitHealthy();
			assertThat(cluster.masterOf(0)).as("promoted replica").isNotSameAs(master);
			await("the cut-off master's view of the cluster staying ok").during(Duration.ofSeconds(5))
				.atMost(Duration.ofSeconds(10))
				.until(() -> clusterState(master).equals("ok"));
		}

		cluster.awaitHealthy();
		assertThat(master.role()).isEqualTo(Role.REPLICA);
		assertThat(clusterState(master)).isEqualTo("ok");
	}

	private static String clusterState(RedisPod pod) throws IOException {
		try (RespConnection connection = cluster.connect(pod)) {
			String info = connection.callForString("CLUSTER", "INFO");
			return info.lines()
				.filter((line) -> line.startsWith("cluster_state:"))
				.map((line) -> line.substring("cluster_state:".length()).strip())
				.findFirst()
				.orElse("");
		}
	}

	private static String iptables(String... arguments) throws Exception {
		List<String> command = new java.util.ArrayList<>(List.of("iptables", "-w", "5"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
		return output;
	}

	private static void connect(InetSocketAddress address, int timeoutMillis) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(address, timeoutMillis);
		}
	}

}
