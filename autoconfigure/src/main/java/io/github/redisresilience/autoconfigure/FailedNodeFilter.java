package io.github.redisresilience.autoconfigure;

import java.util.function.Predicate;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

/**
 * Keeps only nodes the cluster does not flag as failed or address-less, so the client
 * stops routing to a node that the other nodes already gave up on; its slots then show as
 * uncovered, which triggers a topology refresh.
 */
final class FailedNodeFilter implements Predicate<RedisClusterNode> {

	@Override
	public boolean test(RedisClusterNode node) {
		return !(node.is(NodeFlag.FAIL) || node.is(NodeFlag.EVENTUAL_FAIL) || node.is(NodeFlag.NOADDR));
	}

}
