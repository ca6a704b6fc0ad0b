package io.github.redisresilience.autoconfigure.client;

import java.util.EnumSet;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailedNodeFilter}.
 */
class FailedNodeFilterTests {

	private final FailedNodeFilter filter = new FailedNodeFilter();

	@ParameterizedTest
	@EnumSource(names = { "FAIL", "NOADDR" })
	void nodeFlaggedAsFailedOrWithoutAddressIsLeftOut(NodeFlag flag) {
		assertThat(this.filter.test(node(NodeFlag.UPSTREAM, flag))).isFalse();
	}

	@Test
	void nodeInHandshakeIsLeftOut() {
		assertThat(this.filter.test(node(NodeFlag.REPLICA, NodeFlag.HANDSHAKE))).isFalse();
	}

	@Test
	void nodeSuspectedByOneObserverOnlyIsKept() {
		assertThat(this.filter.test(node(NodeFlag.UPSTREAM, NodeFlag.EVENTUAL_FAIL))).isTrue();
	}

	@Test
	void nodeWithoutFailureFlagsIsKept() {
		assertThat(this.filter.test(node(NodeFlag.REPLICA, NodeFlag.ONLINE))).isTrue();
	}

	private static RedisClusterNode node(NodeFlag first, NodeFlag second) {
		RedisClusterNode node = new RedisClusterNode();
		node.setFlags(EnumSet.of(first, second));
		return node;
	}

}
