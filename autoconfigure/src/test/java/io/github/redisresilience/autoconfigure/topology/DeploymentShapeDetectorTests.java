package io.github.redisresilience.autoconfigure.topology;

import java.util.List;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.internal.HostAndPort;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Announced;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Seeds;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentShapeDetectorTests {

	@Test
	void ipSeedsAreStaticAddresses() {
		assertThat(detect(List.of("127.0.0.1"), "127.0.0.1", "127.0.0.2"))
			.isEqualTo(new DeploymentShape(Seeds.STATIC_ADDRESSES, Announced.IPS));
	}

	@Test
	void aNameResolvingToNodeAddressesIsAHeadlessService() {
		assertThat(detect(List.of("localhost"), "127.0.0.1", "::1").seeds()).isEqualTo(Seeds.HEADLESS_SERVICE);
	}

	@Test
	void aNameResolvingToAnAddressNoNodeAnnouncesIsAClusterIpService() {
		assertThat(detect(List.of("localhost"), "127.0.0.7", "127.0.0.8").seeds()).isEqualTo(Seeds.CLUSTER_IP_SERVICE);
	}

	@Test
	void unknownSeedNamesAreReportedUnresolved() {
		assertThat(detect(List.of("no-such-redis.invalid"), "127.0.0.7").seeds()).isEqualTo(Seeds.UNRESOLVED);
	}

	@Test
	void nodesAnnouncingNamesAreSeenAsHostnames() {
		assertThat(detect(List.of("127.0.0.1"), "localhost").announced()).isEqualTo(Announced.HOSTNAMES);
	}

	private static DeploymentShape detect(List<String> seeds, String... nodeHosts) {
		Partitions partitions = new Partitions();
		for (String host : nodeHosts) {
			RedisClusterNode node = new RedisClusterNode();
			node.setUri(RedisURI.create(host, 6379));
			partitions.add(node);
		}
		List<HostAndPort> seedAddresses = seeds.stream().map((seed) -> HostAndPort.of(seed, 6379)).toList();
		return new DeploymentShapeDetector(seedAddresses).detect(partitions);
	}

}
