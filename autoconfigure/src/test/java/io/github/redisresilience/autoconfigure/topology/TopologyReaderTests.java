package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.C;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static org.assertj.core.api.Assertions.assertThat;

class TopologyReaderTests {

	private final RedisURI source = RedisURI.builder()
		.withHost("127.0.1.1")
		.withPort(6379)
		.withAuthentication("app", "secret".toCharArray())
		.withSsl(true)
		.withTimeout(Duration.ofSeconds(3))
		.build();

	@Test
	void nodesGetTheConnectionSettingsOfTheClient() {
		List<RedisClusterNode> view = TopologyReader.view(master(A, "127.0.1.1:6379", 1, "0-16383", "myself"),
				(node) -> true, this.source);
		RedisURI uri = view.get(0).getUri();
		assertThat(uri.isSsl()).isTrue();
		assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(uri.getCredentialsProvider().resolveCredentials().block().getUsername()).isEqualTo("app");
	}

	@Test
	void nodeFilterAndAddresslessNodesAreLeftOut() {
		String text = String.join("\n", master(A, "127.0.1.1:6379", 1, "0-8191", "myself"),
				master(B, "127.0.1.2:6379", 2, "8192-16383", "fail"), master(C, ":0", 0, "", "noaddr")) + "\n";
		List<RedisClusterNode> view = TopologyReader.view(text, (node) -> !node.is(NodeFlag.FAIL), this.source);
		assertThat(view).extracting(RedisClusterNode::getNodeId).containsExactly(A);
	}

	@Test
	void sourceListingItselfWithoutAHostIsWhereItWasReached() {
		String text = master(A, ":6379", 1, "0-16383", "myself") + "\n";
		List<RedisClusterNode> view = TopologyReader.view(text, (node) -> true, this.source);
		assertThat(view.get(0).getUri().getHost()).isEqualTo("127.0.1.1");
	}

}
