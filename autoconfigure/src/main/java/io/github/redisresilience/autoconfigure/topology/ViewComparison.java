package io.github.redisresilience.autoconfigure.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

/**
 * Compares two views of the cluster by what routing depends on: node IDs, addresses, roles, the
 * master a replica follows and the slots a master serves. Flags, epochs, link states and ping
 * times change on every read and are left out: a read that differs only in them is not applied.
 */
final class ViewComparison {

	private ViewComparison() {
	}

	/**
	 * What differs between the client's view and a view just read.
	 * @param current the view the client routes by
	 * @param read the view read
	 * @return the differences, empty when the read view need not be applied
	 */
	static ViewChanges compare(Collection<RedisClusterNode> current, Collection<RedisClusterNode> read) {
		Map<String, RedisClusterNode> before = byId(current);
		Map<String, RedisClusterNode> after = byId(read);
		List<String> added = new ArrayList<>();
		List<String> moved = new ArrayList<>();
		List<String> roles = new ArrayList<>();
		List<String> slots = new ArrayList<>();
		after.forEach((nodeId, node) -> {
			RedisClusterNode previous = before.get(nodeId);
			if (previous == null) {
				added.add(nodeId);
				return;
			}
			if (!Objects.equals(address(previous), address(node))) {
				moved.add(nodeId);
			}
			if (previous.getRole().isUpstream() != node.getRole().isUpstream()
					|| !Objects.equals(previous.getSlaveOf(), node.getSlaveOf())) {
				roles.add(nodeId);
			}
			if (!previous.hasSameSlotsAs(node)) {
				slots.add(nodeId);
			}
		});
		List<String> removed = before.keySet().stream().filter((nodeId) -> !after.containsKey(nodeId)).toList();
		return new ViewChanges(added, removed, moved, roles, slots);
	}

	static @Nullable String address(RedisClusterNode node) {
		RedisURI uri = node.getUri();
		return (uri != null) ? uri.getHost() + ":" + uri.getPort() : null;
	}

	private static Map<String, RedisClusterNode> byId(Collection<RedisClusterNode> nodes) {
		Map<String, RedisClusterNode> byId = new LinkedHashMap<>();
		for (RedisClusterNode node : nodes) {
			if (node.getNodeId() != null) {
				byId.put(node.getNodeId(), node);
			}
		}
		return byId;
	}

	/**
	 * The differences between two views, each a list of node IDs.
	 *
	 * @param added nodes only the read view lists
	 * @param removed nodes only the current view lists
	 * @param moved nodes at another address
	 * @param roles nodes whose role or master changed
	 * @param slots nodes serving other slots
	 */
	record ViewChanges(List<String> added, List<String> removed, List<String> moved, List<String> roles,
			List<String> slots) {

		boolean isEmpty() {
			return this.added.isEmpty() && this.removed.isEmpty() && this.moved.isEmpty() && this.roles.isEmpty()
					&& this.slots.isEmpty();
		}

		@Override
		public String toString() {
			return "added=" + this.added + ", removed=" + this.removed + ", moved=" + this.moved + ", roles="
					+ this.roles + ", slots=" + this.slots;
		}

	}

}
