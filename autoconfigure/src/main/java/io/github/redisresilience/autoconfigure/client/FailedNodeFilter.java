package io.github.redisresilience.autoconfigure.client;

import java.util.function.Predicate;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

/**
 * Keeps only nodes the cluster does not flag as failed or address-less, so the client
 * stops routing to a node that the other nodes already gave up on; its slots then show as
 * uncovered, which triggers a topology refresh, and Lettuce closes its connections as stale.
 * <p>
 * Only the cluster's verdict ({@code fail}, agreed by a majority of masters) counts, not one
 * node's suspicion ({@code fail?}): the client reads its topology from one node, and dropping a
 * healthy master because that one node briefly lost sight of it would fail all its slots. Closing
 * the connections of a failed master matters when it is frozen rather than dead: a connection
 * left open would carry its acknowledgements of writes after it wakes up, just before it learns
 * it was demoted and discards them.
 * <p>
 * Nodes in {@code handshake} are left out too: while a node meets another ({@code CLUSTER
 * MEET}, as after a pod moved), it lists that address under a random ID of its own until the
 * handshake tells it the real one. Kept, each would be a member the cluster does not have.
 */
final class FailedNodeFilter implements Predicate<RedisClusterNode> {

	@Override
	public boolean test(RedisClusterNode node) {
		return !(node.is(NodeFlag.FAIL) || node.is(NodeFlag.NOADDR) || node.is(NodeFlag.HANDSHAKE));
	}

}
