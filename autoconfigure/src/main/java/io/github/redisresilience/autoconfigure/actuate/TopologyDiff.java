package io.github.redisresilience.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.AddressMoveDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeSummaryDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.RoleChangeDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.SlotMoveDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.TopologyChangesDescriptor;

/**
 * What changed between two looks at the client's topology, matching nodes by node ID.
 */
final class TopologyDiff {

	private TopologyDiff() {
	}

	static TopologyChangesDescriptor between(List<NodeLayout> before, List<NodeLayout> after) {
		Map<String, NodeLayout> previous = byId(before);
		Map<String, NodeLayout> current = byId(after);
		List<NodeSummaryDescriptor> added = new ArrayList<>();
		List<AddressMoveDescriptor> moved = new ArrayList<>();
		List<RoleChangeDescriptor> roles = new ArrayList<>();
		current.forEach((id, node) -> {
			NodeLayout old = previous.get(id);
			if (old == null) {
				added.add(summary(node));
				return;
			}
			if (!old.announced().equals(node.announced())) {
				moved.add(new AddressMoveDescriptor(id, old.announced(), node.announced()));
			}
			if (old.master() != node.master()) {
				roles.add(new RoleChangeDescriptor(id, old.role(), node.role()));
			}
		});
		List<NodeSummaryDescriptor> removed = previous.values()
			.stream()
			.filter((node) -> !current.containsKey(node.id()))
			.map(TopologyDiff::summary)
			.toList();
		return new TopologyChangesDescriptor(added, removed, moved, roles, slotMoves(before, after));
	}

	private static Map<String, NodeLayout> byId(List<NodeLayout> nodes) {
		Map<String, NodeLayout> byId = new LinkedHashMap<>();
		nodes.forEach((node) -> byId.put(node.id(), node));
		return byId;
	}

	private static NodeSummaryDescriptor summary(NodeLayout node) {
		return new NodeSummaryDescriptor(node.id(), node.role(), node.announced());
	}

	private static List<SlotMoveDescriptor> slotMoves(List<NodeLayout> before, List<NodeLayout> after) {
		@Nullable String[] previous = owners(before);
		@Nullable String[] current = owners(after);
		List<SlotMoveDescriptor> moves = new ArrayList<>();
		int slot = 0;
		while (slot < SlotHash.SLOT_COUNT) {
			if (Objects.equals(previous[slot], current[slot])) {
				slot++;
				continue;
			}
			int start = slot;
			while (slot + 1 < SlotHash.SLOT_COUNT && Objects.equals(previous[slot + 1], previous[start])
					&& Objects.equals(current[slot + 1], current[start])) {
				slot++;
			}
			String range = (start == slot) ? Integer.toString(start) : start + "-" + slot;
			moves.add(new SlotMoveDescriptor(range, previous[start], current[start]));
			slot++;
		}
		return moves;
	}

	private static @Nullable String[] owners(List<NodeLayout> nodes) {
		@Nullable String[] owners = new String[SlotHash.SLOT_COUNT];
		for (NodeLayout node : nodes) {
			if (node.master()) {
				node.slots().stream().forEach((slot) -> owners[slot] = node.id());
			}
		}
		return owners;
	}

}
