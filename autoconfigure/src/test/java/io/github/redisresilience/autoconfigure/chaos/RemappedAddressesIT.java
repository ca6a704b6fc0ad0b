package io.github.redisresilience.autoconfigure.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With remap rules (announced pod IP to a reachable name, as behind NAT), the client dials the
 * mapped names, works through them, and the topology endpoint shows announced and dialled
 * addresses side by side.
 */
@WithLocalRedisCluster(replicasPerMaster = 0, shared = false)
class RemappedAddressesIT extends ChaosTestSupport {

	static LocalRedisCluster cluster;

	@Test
	void dialsTheMappedAddressesAndShowsBothInTheTopologyEndpoint() {
		List<String> arguments = new ArrayList<>(List.of("--spring.jmx.enabled=true",
				"--management.endpoints.jmx.exposure.include=redistopology"));
		List<RedisPod> pods = cluster.pods();
		for (int i = 0; i < pods.size(); i++) {
			RedisPod pod = pods.get(i);
			arguments.add("--redis.resilience.remap.rules[" + i + "].from=" + pod.address().getHostString() + ":"
					+ pod.address().getPort());
			arguments.add("--redis.resilience.remap.rules[" + i + "].to=" + pod.hostname());
		}
		startApplication(ClientMode.STARTER, cluster.seedNodes(), arguments.toArray(String[]::new));
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		redis.opsForValue().set("remapped", "yes");
		assertThat(redis.opsForValue().get("remapped")).isEqualTo("yes");

		Map<String, String> dialledByAnnounced = pods.stream()
			.collect(Collectors.toMap((pod) -> pod.address().getHostString() + ":" + pod.address().getPort(),
					(pod) -> pod.hostname() + ":" + pod.address().getPort()));
		RedisTopologyEndpoint endpoint = this.context.getBean(RedisTopologyEndpoint.class);
		await().atMost(RECOVERY_LIMIT).untilAsserted(() -> {
			List<NodeDescriptor> nodes = endpoint.topology().nodes();
			assertThat(nodes).hasSize(pods.size());
			assertThat(nodes).allSatisfy((node) -> {
				assertThat(node.dialled()).isEqualTo(dialledByAnnounced.get(node.announced()));
				assertThat(node.reachable()).isTrue();
			});
		});
	}

}
