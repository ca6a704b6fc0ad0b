package io.github.redisresilience.autoconfigure.actuate;

import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.AddressMoveDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeSummaryDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.RoleChangeDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.SlotMoveDescriptor;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.TopologyChangesDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyDiffTests {

	@Test
	void sameTopologyHasNoChanges() {
		List<NodeLayout> nodes = List.of(master("a", "10.0.0.1", 0, 16383));
		TopologyChangesDescriptor changes = TopologyDiff.between(nodes, nodes);
		assertThat(changes.nodesAdded()).isEmpty();
		assertThat(changes.nodesRemoved()).isEmpty();
		assertThat(changes.addressChanges()).isEmpty();
		assertThat(changes.roleChanges()).isEmpty();
		assertThat(changes.slotMoves()).isEmpty();
	}

	@Test
	void nodeAtANewAddressIsAnAddressChangeNotAnAddedNode() {
		TopologyChangesDescriptor changes = TopologyDiff.between(List.of(master("a", "10.0.0.1", 0, 16383)),
				List.of(master("a", "10.0.0.9", 0, 16383)));
		assertThat(changes.addressChanges())
			.containsExactly(new AddressMoveDescriptor("a", "10.0.0.1:6379", "10.0.0.9:6379"));
		assertThat(changes.nodesAdded()).isEmpty();
		assertThat(changes.slotMoves()).isEmpty();
	}

	@Test
	void promotionMovesSlotsAndChangesRoles() {
		List<NodeLayout> before = List.of(master("a", "10.0.0.1", 0, 8191), master("b", "10.0.0.2", 8192, 16383),
				replica("c", "10.0.0.3", "a"));
		List<NodeLayout> after = List.of(master("b", "10.0.0.2", 8192, 16383), master("c", "10.0.0.3", 0, 8191));
		TopologyChangesDescriptor changes = TopologyDiff.between(before, after);
		assertThat(changes.nodesRemoved()).containsExactly(new NodeSummaryDescriptor("a", "master", "10.0.0.1:6379"));
		assertThat(changes.roleChanges()).containsExactly(new RoleChangeDescriptor("c", "replica", "master"));
		assertThat(changes.slotMoves()).containsExactly(new SlotMoveDescriptor("0-8191", "a", "c"));
	}

	@Test
	void slotsThatLoseTheirMasterMoveToNone() {
		TopologyChangesDescriptor changes = TopologyDiff.between(List.of(master("a", "10.0.0.1", 0, 100)),
				List.of(master("a", "10.0.0.1", 0, 49)));
		assertThat(changes.slotMoves()).containsExactly(new SlotMoveDescriptor("50-100", "a", null));
	}

	@Test
	void slotRangesRenderLikeClusterNodes() {
		BitSet slots = new BitSet();
		slots.set(0, 5461);
		slots.set(7000);
		assertThat(SlotRanges.of(slots)).containsExactly("0-5460", "7000");
	}

	static NodeLayout master(String id, String host, int first, int last) {
		BitSet slots = new BitSet();
		slots.set(first, last + 1);
		return new NodeLayout(id, host, 6379, true, null, Set.of("master"), slots);
	}

	static NodeLayout replica(String id, String host, String masterId) {
		return new NodeLayout(id, host, 6379, false, masterId, Set.of("slave"), new BitSet());
	}

}
