package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the client's view from going back in time.
 * <p>
 * Three rules: a read that started before the last applied read is dropped (it may have waited on
 * a dead address while a newer one was applied); a read that puts a node back on an address it
 * moved away from is refused unless the node says so itself (its own {@code myself} line); a read
 * that gives a master's slots to a master with an older config epoch is refused (the cluster's own
 * rule: the higher epoch owns the slot). Lettuce's full refreshes cannot be refused before they
 * apply; {@link #observe} tells which nodes one put back, or listed by IP where they announce a
 * host name, so that a newer view is read at once.
 * <p>
 * Not thread-safe: the watcher calls it from its own thread.
 */
final class ViewOrdering {

	/** Long enough to outlive any refresh still waiting on a dead address, short enough for IP reuse. */
	static final Duration ADDRESS_MEMORY = Duration.ofSeconds(30);

	private long started;

	private long applied = -1;

	private final Map<String, String> addresses = new HashMap<>();

	/** Node ID to the addresses it left, each with when it is forgotten. */
	private final Map<String, Map<String, Instant>> leftAddresses = new HashMap<>();

	/**
	 * A read begins.
	 * @return its sequence number
	 */
	long begin() {
		return ++this.started;
	}

	/**
	 * Whether a read view may be applied.
	 * @param sequence the read's sequence number
	 * @param current the view the client routes by
	 * @param read the view read
	 * @param source the node the view was read from
	 */
	Verdict judge(long sequence, Collection<RedisClusterNode> current, Collection<RedisClusterNode> read,
			String source, Instant now) {
		if (sequence < this.applied) {
			return Verdict.OLDER_READ;
		}
		for (RedisClusterNode node : read) {
			String address = ViewComparison.address(node);
			if (!node.getNodeId().equals(source) && hasLeft(node.getNodeId(), address, now)) {
				return Verdict.ADDRESS_LEFT;
			}
		}
		if (olderEpochClaimsSlots(current, read)) {
			return Verdict.OLDER_EPOCH;
		}
		return Verdict.APPLY;
	}

	/**
	 * A read view was applied: reads that started before it are older.
	 * @param sequence the read's sequence number
	 * @param source the node it was read from, whose address is confirmed by its own line
	 */
	void applied(long sequence, RedisClusterNode source) {
		this.applied = Math.max(this.applied, sequence);
		Map<String, Instant> left = this.leftAddresses.get(source.getNodeId());
		if (left != null) {
			left.remove(ViewComparison.address(source));
		}
	}

	/**
	 * Records the view the client routes by now, whoever applied it.
	 * @return the IDs of nodes it lists at an address they moved away from, or by an IP where they
	 * announce a host name (read from a node that had not learned it, see {@link AnnouncedNames})
	 */
	List<String> observe(Collection<RedisClusterNode> view, Instant now) {
		List<String> regressed = new ArrayList<>();
		for (RedisClusterNode node : view) {
			String nodeId = node.getNodeId();
			String address = ViewComparison.address(node);
			if (nodeId == null || address == null) {
				continue;
			}
			if (hasLeft(nodeId, address, now)) {
				regressed.add(nodeId);
				continue;
			}
			String previous = this.addresses.put(nodeId, address);
			if (previous == null || previous.equals(address)) {
				continue;
			}
			if (AnnouncedNames.lostName(previous, address)) {
				// The name still leads to the pod: reading it back must not be refused.
				regressed.add(nodeId);
			}
			else {
				this.leftAddresses.computeIfAbsent(nodeId, (id) -> new HashMap<>())
					.put(previous, now.plus(ADDRESS_MEMORY));
			}
		}
		forget(view, now);
		return regressed;
	}

	/**
	 * Drops what no longer matters, so that a client living through endless moves and replaced
	 * pods keeps as much as its cluster holds: addresses left longer ago than
	 * {@link #ADDRESS_MEMORY}, and, once more nodes are remembered than any cluster holds, the
	 * nodes missing from the view.
	 */
	private void forget(Collection<RedisClusterNode> view, Instant now) {
		for (Map<String, Instant> left : this.leftAddresses.values()) {
			left.values().removeIf(now::isAfter);
		}
		this.leftAddresses.values().removeIf(Map::isEmpty);
		if (this.addresses.size() > Promotions.MAX_NODES) {
			Set<String> seen = new HashSet<>();
			view.forEach((node) -> seen.add(node.getNodeId()));
			this.addresses.keySet().retainAll(seen);
		}
	}

	/** How many nodes it remembers an address of, and how many it remembers left addresses of. */
	int remembered() {
		return this.addresses.size() + this.leftAddresses.size();
	}

	/**
	 * Whether a node is at an address it moved away from.
	 */
	boolean hasLeft(String nodeId, @Nullable String address, Instant now) {
		Map<String, Instant> left = this.leftAddresses.get(nodeId);
		if (left == null || address == null) {
			return false;
		}
		left.values().removeIf(now::isAfter);
		return left.containsKey(address);
	}

	private static boolean olderEpochClaimsSlots(Collection<RedisClusterNode> current,
			Collection<RedisClusterNode> read) {
		long[] epochs = new long[SlotHash.SLOT_COUNT];
		String[] owners = new String[SlotHash.SLOT_COUNT];
		for (RedisClusterNode node : current) {
			if (node.getRole().isUpstream()) {
				for (int slot : node.getSlots()) {
					epochs[slot] = node.getConfigEpoch();
					owners[slot] = node.getNodeId();
				}
			}
		}
		for (RedisClusterNode node : read) {
			if (!node.getRole().isUpstream()) {
				continue;
			}
			for (int slot : node.getSlots()) {
				if (owners[slot] != null && !Objects.equals(owners[slot], node.getNodeId())
						&& node.getConfigEpoch() < epochs[slot]) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether a read view may be applied, and why not.
	 */
	enum Verdict {

		/** Newer than what the client has. */
		APPLY,

		/** Started before the last applied read. */
		OLDER_READ,

		/** Puts a node back on an address it moved away from, and the node did not say so itself. */
		ADDRESS_LEFT,

		/** Gives slots to a master with an older config epoch than their current owner's. */
		OLDER_EPOCH

	}

}
