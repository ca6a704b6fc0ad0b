package io.github.redisresilience.autoconfigure.chaos;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresRedis;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Pods that announce addresses the client cannot reach, as behind NAT or port mapping: each pod
 * announces its IP with a port where connection attempts hang (a black hole), and only a remap
 * rule per pod (announced {@code ip:port} to the pod's name and real port) makes it reachable.
 * With the rules the application works, and the server's own {@code CLIENT LIST} shows its
 * connections arriving at the real port of every pod; without them (the negative control) its
 * commands fail. Rules that fold every node onto one Service address are refused, and with
 * {@code on-fold=warn} (the fold check's control) commands bounce between nodes on MOVED.
 * <p>
 * Redis 7: a Redis 6.2 node tells its peers a {@code cluster-announce-port} set at runtime but
 * keeps its real port in its own {@code CLUSTER NODES} line, so the node a client reads from
 * would still be reachable without a rule.
 */
@RequiresRedis(7)
@WithLocalRedisCluster(replicasPerMaster = 0, shared = false)
class RemappedAddressesIT extends ChaosTestSupport {

	private static final String CLIENT_NAME = "remapped-addresses-it";

	static LocalRedisCluster cluster;

	/** Idempotent: the first test of the class turns the announced ports into black holes. */
	@BeforeEach
	void announceUnreachableAddresses() {
		for (RedisPod pod : cluster.pods()) {
			if (!unreachable(pod).equals(announcedBy(pod, pod))) {
				cluster.blackHole(unreachable(pod));
				admin(pod, (redis) -> redis.configSet("cluster-announce-port", Integer.toString(unreachable(pod).getPort())));
			}
		}
		// Every node learns every other node's announced address through the cluster bus.
		await("every node sees every pod's unreachable announced address").atMost(RECOVERY_LIMIT)
			.untilAsserted(() -> {
				for (RedisPod viewer : cluster.pods()) {
					for (RedisPod pod : cluster.pods()) {
						assertThat(announcedBy(viewer, pod)).as("%s as %s sees it", pod, viewer).isEqualTo(unreachable(pod));
					}
				}
			});
	}

	@Test
	void dialsTheMappedAddressesAsTheServerSeesAndShowsBothInTheTopologyEndpoint() {
		List<String> arguments = new ArrayList<>(List.of("--spring.jmx.enabled=true",
				"--management.endpoints.jmx.exposure.include=redistopology", "--spring.data.redis.client-name=" + CLIENT_NAME));
		arguments.addAll(rules());
		startApplication(ClientMode.STARTER, cluster.seedNodes(), arguments.toArray(String[]::new));
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		for (int i = 0; i < 30; i++) {
			redis.opsForValue().set("remapped-" + i, "yes");
			assertThat(redis.opsForValue().get("remapped-" + i)).isEqualTo("yes");
		}

		// Observed on the servers: every pod holds a connection of the application's, arriving at its
		// real address; the announced one is a black hole, so only the rule can have dialled it.
		for (RedisPod pod : cluster.pods()) {
			List<Map<String, String>> clients = admin(pod, (admin) -> clients(admin.clientList()));
			String real = pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort();
			assertThat(clients).as("the application's connections on %s", pod)
				.filteredOn((client) -> CLIENT_NAME.equals(client.get("name")))
				.isNotEmpty()
				.allSatisfy((client) -> assertThat(client.get("laddr")).isEqualTo(real));
		}

		Map<String, String> dialledByAnnounced = cluster.pods()
			.stream()
			.collect(Collectors.toMap((pod) -> address(unreachable(pod)), (pod) -> pod.hostname() + ":" + pod.address().getPort()));
		RedisTopologyEndpoint endpoint = this.context.getBean(RedisTopologyEndpoint.class);
		await().atMost(RECOVERY_LIMIT).untilAsserted(() -> {
			List<NodeDescriptor> nodes = endpoint.topology().nodes();
			assertThat(nodes).hasSize(cluster.pods().size());
			assertThat(nodes).allSatisfy((node) -> {
				assertThat(node.dialled()).isEqualTo(dialledByAnnounced.get(node.announced()));
				assertThat(node.reachable()).isTrue();
			});
		});
	}

	/** The remap rules' negative control: without them the client dials the black holes and fails. */
	@Test
	void controlWithoutTheRulesCommandsFail() {
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--spring.data.redis.client-name=" + CLIENT_NAME);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		long started = System.nanoTime();
		assertThatException().isThrownBy(() -> redis.opsForValue().set("not-remapped", "no"))
			.satisfies((ex) -> reportLine("[chaos] control: remap rules off, pods announce black holes: SET failed after "
					+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms with " + causes(ex)))
			.satisfies((ex) -> assertThat(causes(ex)).containsAnyOf("timed out", "Connection refused", "connection timed out"));
	}

	/**
	 * Rules that send every node to the ClusterIP Service address: refused at startup by default,
	 * naming the rule; with the fold check off ({@code on-fold=warn}) such a fold starts, and its
	 * commands land on a pod that does not serve their slot and bounce on MOVED.
	 */
	@Test
	void controlRulesFoldingEveryNodeOntoTheServiceAreRefusedAndWithOnFoldWarnCommandsBounceOnMoved() {
		cluster.startClusterIpService();
		String[] fold = { "--redis.resilience.remap.rules[0].from=127.0.0.0/8",
				"--redis.resilience.remap.rules[0].to=" + cluster.clusterIpServiceName() + ":" + cluster.port() };
		// The fold's exception is package-private in remap: compared by name.
		assertThatException().isThrownBy(() -> startApplication(ClientMode.STARTER, cluster.seedNodes(), fold))
			.satisfies((ex) -> assertThat(rootCauses(ex)).anyMatch((cause) -> cause.getClass().getSimpleName().equals("RemapFoldException")));

		// With the check off the same mistake starts. Folded onto the Service, a command bounces only
		// when the Service picked the wrong pod for its connection (chance decides); folded onto one
		// pod, every command for another pod's slots bounces: the same misrouting, made certain (the
		// keys below hash to every master).
		RedisPod folded = cluster.masterOf(0);
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--redis.resilience.remap.rules[0].from=127.0.0.0/8",
				"--redis.resilience.remap.rules[0].to=" + folded.hostname() + ":" + folded.address().getPort(),
				"--redis.resilience.remap.on-fold=warn");
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		// Stops at the first failure (each one spends the retry budget), at most 10 tries.
		int tries = 0;
		List<String> errors = new ArrayList<>();
		while (errors.isEmpty() && tries < 10) {
			try {
				redis.opsForValue().set("folded-" + tries, "x");
			}
			catch (RuntimeException ex) {
				errors.add(causes(ex));
			}
			tries++;
		}
		reportLine("[chaos] control: on-fold=warn, every node folded onto one pod: SET number " + tries
				+ " failed: " + errors);
		assertThat(errors).as("failed SET in %d tries", tries).isNotEmpty();
		assertThat(errors).anyMatch((error) -> error.contains("MOVED") || error.contains("redirect"));
	}

	private List<String> rules() {
		List<String> arguments = new ArrayList<>();
		List<RedisPod> pods = cluster.pods();
		for (int i = 0; i < pods.size(); i++) {
			RedisPod pod = pods.get(i);
			arguments.add("--redis.resilience.remap.rules[" + i + "].from=" + address(unreachable(pod)));
			arguments.add("--redis.resilience.remap.rules[" + i + "].to=" + pod.hostname() + ":" + pod.address().getPort());
		}
		return arguments;
	}

	/** Where a pod announces itself: its IP, one port above the one it listens on, a black hole. */
	private static InetSocketAddress unreachable(RedisPod pod) {
		return new InetSocketAddress(pod.address().getAddress(), pod.address().getPort() + 1);
	}

	private static String address(InetSocketAddress address) {
		return address.getAddress().getHostAddress() + ":" + address.getPort();
	}

	/** The address a viewer's CLUSTER NODES gives for a pod. */
	private static InetSocketAddress announcedBy(RedisPod viewer, RedisPod pod) {
		String nodes = admin(viewer, RedisCommands::clusterNodes);
		for (String line : nodes.split("\n")) {
			String[] fields = line.split(" ");
			if (fields[0].equals(pod.nodeId())) {
				String hostPort = fields[1].split("@")[0];
				int colon = hostPort.lastIndexOf(':');
				return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
			}
		}
		throw new IllegalStateException(pod + " not in " + viewer + "'s CLUSTER NODES");
	}

	/** Runs commands on one pod, at its real address, over a connection of the test's own. */
	private static <T> T admin(RedisPod pod, Function<RedisCommands<String, String>, T> commands) {
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(pod.address().getAddress().getHostAddress())
			.withPort(pod.address().getPort())
			.withTimeout(Duration.ofSeconds(5))
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return commands.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/** {@code CLIENT LIST}: one line per connection, {@code field=value} pairs. */
	private static List<Map<String, String>> clients(String clientList) {
		return Arrays.stream(clientList.split("\n"))
			.filter((line) -> !line.isBlank())
			.map((line) -> Arrays.stream(line.strip().split(" "))
				.map((field) -> field.split("=", 2))
				.filter((pair) -> pair.length == 2)
				.collect(Collectors.toMap((pair) -> pair[0], (pair) -> pair[1], (a, b) -> a)))
			.toList();
	}

	private static List<Throwable> rootCauses(Throwable ex) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = ex; cause != null && !causes.contains(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static String causes(Throwable ex) {
		return rootCauses(ex).stream()
			.map((cause) -> cause.getClass().getSimpleName() + ": " + cause.getMessage())
			.collect(Collectors.joining(" <- "));
	}

}
