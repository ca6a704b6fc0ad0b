package io.github.redisresilience.autoconfigure.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Announced;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Seeds;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresRedis;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS clusters whose certificates name the pods but no IP address, trusted through a Spring Boot
 * SSL bundle, with full peer verification (Boot's default): the application works and survives
 * pod moves whether pods announce their names, or announce IPs that a remap rule turns into
 * names, in which case the certificates are verified against the remapped names.
 */
class TlsClustersIT {

	static List<String> sslBundle(LocalRedisCluster cluster) {
		List<String> arguments = new ArrayList<>();
		cluster.sslBundleProperties("redis-kit").forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments;
	}

	@Nested
	@RequiresRedis(value = 7, tls = true)
	@WithLocalRedisCluster(replicasPerMaster = 0, shared = false, tls = true, announceHostnames = PreferredEndpoint.HOSTNAME)
	class PodsAnnouncingHostnames extends ChaosTestSupport {

		static LocalRedisCluster cluster;

		@Test
		void readsWritesAndSurvivesAPodMove() throws Exception {
			startApplication(ClientMode.STARTER, cluster.seedNodes(), sslBundle(cluster).toArray(String[]::new));
			StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
			redis.opsForValue().set("tls-hostnames", "yes");
			assertThat(redis.opsForValue().get("tls-hostnames")).isEqualTo("yes");

			runScenario("TLS, hostnames, a master pod moves", blocking(),
					(workload) -> cluster.movePod(cluster.masterOf(0), OldAddresses.BLACK_HOLE));
			assertShape(new DeploymentShape(Seeds.HEADLESS_SERVICE, Announced.HOSTNAMES));
		}

	}

	@Nested
	@RequiresRedis(value = 6, tls = true)
	@WithLocalRedisCluster(replicasPerMaster = 0, shared = false, tls = true)
	class PodsAnnouncingIpsRemappedToNames extends ChaosTestSupport {

		static LocalRedisCluster cluster;

		/** Every announced pod IP to its name under the kit's pod domain, as Kubernetes names pod IPs. */
		private List<String> arguments() {
			List<String> arguments = sslBundle(cluster);
			// The topology endpoint shows the dialled addresses; JMX exposes it without a web server.
			arguments.add("--spring.jmx.enabled=true");
			arguments.add("--management.endpoints.jmx.exposure.include=redistopology");
			arguments.add("--redis.resilience.remap.rules[0].from=regex:127\\.(\\d+)\\.(\\d+)\\.(\\d+):(\\d+)");
			arguments.add("--redis.resilience.remap.rules[0].to=127-{1}-{2}-{3}." + cluster.podIpDomain() + ":{4}");
			return arguments;
		}

		@Test
		void verifiesTheRemappedNamesAndSurvivesAllPodsMoving() throws Exception {
			startApplication(ClientMode.STARTER, cluster.seedNodes(), arguments().toArray(String[]::new));
			assertDialledAtPodIpNames();

			runScenario("TLS, IPs remapped to names, all pods move", blocking(),
					(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
			assertDialledAtPodIpNames();
		}

		private void assertDialledAtPodIpNames() {
			Map<String, String> dialledByAnnounced = cluster.pods()
				.stream()
				.collect(Collectors.toMap((pod) -> address(pod.address().getHostString(), pod),
						(pod) -> address(cluster.podIpName(pod), pod)));
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

		private static String address(String host, RedisPod pod) {
			return host + ":" + pod.address().getPort();
		}

	}

}
