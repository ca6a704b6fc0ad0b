package io.github.redisresilience.autoconfigure.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.jspecify.annotations.Nullable;

/**
 * Which node the next topology read asks.
 * <p>
 * While a master is suspect, its replicas, in turn: one of them is promoted, and its own view
 * changes first. Otherwise the last node that answered, so that one held connection serves all
 * reads (every other source would be one more connection held, and one more to re-establish after
 * a move); then the masters (the application holds a connection to each), else the other nodes,
 * in an order of this client's own so that a fleet does not read from the same node. Suspect nodes, failed nodes and nodes that just failed a read are left
 * out.
 */
final class SourceChoice {

	private final int salt;

	private long turn;

	/**
	 * @param salt spreads the clients of a fleet over the nodes
	 */
	SourceChoice(int salt) {
		this.salt = salt;
	}

	/**
	 * Picks the next source.
	 * @param view the client's view
	 * @param suspects the IDs of suspect masters
	 * @param excluded the IDs of nodes that just failed a read
	 * @param lastAnswered the node that answered the last read, if any
	 * @return the node ID, or {@code null} when no node can be asked
	 */
	@Nullable String next(Collection<RedisClusterNode> view, Set<String> suspects, Set<String> excluded,
			@Nullable String lastAnswered) {
		List<RedisClusterNode> candidates = new ArrayList<>();
		for (RedisClusterNode node : view) {
			if (node.getNodeId() != null && node.getUri() != null && !node.is(NodeFlag.FAIL)
					&& !node.is(NodeFlag.NOADDR) && !suspects.contains(node.getNodeId())
					&& !excluded.contains(node.getNodeId())) {
				candidates.add(node);
			}
		}
		if (candidates.isEmpty()) {
			return null;
		}
		List<RedisClusterNode> replicasOfSuspects = candidates.stream()
			.filter((node) -> node.getSlaveOf() != null && suspects.contains(node.getSlaveOf()))
			.sorted(Comparator.comparing(RedisClusterNode::getNodeId))
			.toList();
		if (!replicasOfSuspects.isEmpty()) {
			return replicasOfSuspects.get((int) (this.turn++ % replicasOfSuspects.size())).getNodeId();
		}
		for (RedisClusterNode node : candidates) {
			if (node.getNodeId().equals(lastAnswered)) {
				return lastAnswered;
			}
		}
		// Masters first: the application holds a connection to each of them already (the reads go
		// over its connections), a replica would cost one more.
		List<RedisClusterNode> masters = candidates.stream().filter((node) -> node.is(NodeFlag.MASTER)).toList();
		return (masters.isEmpty() ? candidates : masters).stream()
			.min(Comparator.comparingInt((RedisClusterNode node) -> node.getNodeId().hashCode() ^ this.salt)
				.thenComparing(RedisClusterNode::getNodeId))
			.map(RedisClusterNode::getNodeId)
			.orElse(null);
	}

}
