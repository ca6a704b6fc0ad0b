package io.github.redisresilience.autoconfigure.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

/**
 * The master each replica followed in the last look at the topology, to tell when one became a
 * master serving slots: a failover (or a manual {@code CLUSTER FAILOVER}) as the client sees it.
 * <p>
 * A replica missing from a look keeps its entry, as a node may drop out of one look (failed and
 * filtered out) and come back promoted; once more replicas are remembered than any cluster holds,
 * those missing from the current look are forgotten, so replaced pods do not pile up. A view
 * older than one already seen (a refresh that started earlier) may show a promoted node as a
 * replica again: a promotion is reported once per config epoch, which a stale view cannot raise.
 */
final class Promotions {

	/**
	 * More nodes than any cluster holds (Redis Cluster is meant for up to 1000): beyond it, nodes
	 * gone from the view are forgotten, here and wherever the watcher remembers nodes by ID.
	 */
	static final int MAX_NODES = 2000;

	/** The master each replica of the last look followed, by replica ID; masters are absent. */
	private final Map<String, @Nullable String> replicaOf = new HashMap<>();

	/** The config epoch each promotion was reported at, by node ID. */
	private final Map<String, Long> reportedAt = new HashMap<>();

	/**
	 * Records a look at the topology.
	 * @param view the client's view
	 * @return the replicas the last look knew that now serve slots as masters
	 */
	synchronized List<Promotion> update(Iterable<RedisClusterNode> view) {
		List<Promotion> promotions = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (RedisClusterNode node : view) {
			String nodeId = node.getNodeId();
			if (nodeId == null) {
				continue;
			}
			seen.add(nodeId);
			boolean master = node.getRole().isUpstream();
			if (master && this.replicaOf.containsKey(nodeId) && !node.getSlots().isEmpty()
					&& node.getConfigEpoch() > this.reportedAt.getOrDefault(nodeId, -1L)) {
				this.reportedAt.put(nodeId, node.getConfigEpoch());
				promotions.add(new Promotion(nodeId, ViewComparison.address(node), this.replicaOf.get(nodeId),
						node.getSlots().size()));
			}
			if (master) {
				this.replicaOf.remove(nodeId);
			}
			else {
				this.replicaOf.put(nodeId, node.getSlaveOf());
			}
		}
		if (this.replicaOf.size() > MAX_NODES || this.reportedAt.size() > MAX_NODES) {
			this.replicaOf.keySet().retainAll(seen);
			this.reportedAt.keySet().retainAll(seen);
		}
		return promotions;
	}

	/**
	 * A replica the client now sees serving slots as a master.
	 *
	 * @param nodeId the promoted node
	 * @param address its address, {@code host:port}
	 * @param formerMaster the master it followed, when the last look named one
	 * @param slots how many slots it serves
	 */
	record Promotion(String nodeId, @Nullable String address, @Nullable String formerMaster, int slots) {

		String describe() {
			return "Redis Cluster failover seen: replica " + this.nodeId + " at " + this.address
					+ ((this.formerMaster != null) ? " (of " + this.formerMaster + ")" : "") + " is now a master serving "
					+ this.slots + " slots";
		}

	}

}
