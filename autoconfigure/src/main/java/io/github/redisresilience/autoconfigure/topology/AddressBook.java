package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last address the client knew each node at, by node ID, to tell which nodes moved between
 * two looks at the topology.
 * <p>
 * A node missing from one look (failed and filtered out while it moved) keeps its last address,
 * so its reappearance at a new address still counts as a move; once more nodes are remembered than
 * any cluster holds, those missing from the look are forgotten.
 */
final class AddressBook {

	/** How many changes {@link #recent()} keeps. */
	static final int RECENT_CHANGES = 50;

	private final Map<String, String> addresses = new HashMap<>();

	private final Deque<NodeAddressChangedEvent> recent = new ArrayDeque<>();

	/**
	 * Records the addresses of a look at the topology.
	 * @param current {@code host:port} by node ID
	 * @param at when the topology was read
	 * @return the nodes whose address differs from the one last recorded
	 */
	synchronized List<NodeAddressChangedEvent> update(Map<String, String> current, Instant at) {
		List<NodeAddressChangedEvent> changes = new ArrayList<>();
		current.forEach((nodeId, address) -> {
			String previous = this.addresses.put(nodeId, address);
			if (previous != null && !previous.equals(address)) {
				changes.add(new NodeAddressChangedEvent(nodeId, previous, address, at));
			}
		});
		if (this.addresses.size() > Promotions.MAX_NODES) {
			// Replaced pods with new node IDs must not pile up over a client's life.
			this.addresses.keySet().retainAll(current.keySet());
		}
		for (NodeAddressChangedEvent change : changes) {
			if (this.recent.size() == RECENT_CHANGES) {
				this.recent.removeFirst();
			}
			this.recent.addLast(change);
		}
		return changes;
	}

	/**
	 * The most recent changes, oldest first.
	 * @return up to the last {@value #RECENT_CHANGES} changes
	 */
	synchronized List<NodeAddressChangedEvent> recent() {
		return List.copyOf(this.recent);
	}

	/** How many nodes it remembers an address of. */
	synchronized int remembered() {
		return this.addresses.size();
	}

}
