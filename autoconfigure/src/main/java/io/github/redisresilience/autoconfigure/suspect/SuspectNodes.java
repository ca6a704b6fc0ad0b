package io.github.redisresilience.autoconfigure.suspect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The masters currently suspect, by node ID. A node is suspected once (later signals while it is
 * suspect change nothing, so the counter counts episodes, not timeouts).
 */
final class SuspectNodes {

	private final Map<String, SuspectNode> suspects = new LinkedHashMap<>();

	/**
	 * Suspects a node listed as a master.
	 * @return the new suspect, empty when it already was
	 */
	synchronized Optional<SuspectNode> suspect(String nodeId, String address, SuspectNode.Cause cause, String reason,
			Instant now) {
		if (this.suspects.containsKey(nodeId)) {
			return Optional.empty();
		}
		SuspectNode suspect = new SuspectNode(nodeId, address, now, cause, reason);
		this.suspects.put(nodeId, suspect);
		return Optional.of(suspect);
	}

	synchronized Optional<NodeSuspicionClearedEvent> clear(String nodeId, String why, Instant now) {
		SuspectNode suspect = this.suspects.remove(nodeId);
		return Optional.ofNullable(suspect).map((cleared) -> new NodeSuspicionClearedEvent(cleared, why, now));
	}

	/**
	 * Clears every suspect the topology no longer lists as a master at the address it was
	 * suspected at.
	 * @param masters the masters of the client's view that the cluster has not failed, node ID
	 * to announced address
	 * @return the suspicions ended
	 */
	synchronized List<NodeSuspicionClearedEvent> keepMasters(Map<String, String> masters, Instant now) {
		List<NodeSuspicionClearedEvent> cleared = new ArrayList<>();
		for (Iterator<SuspectNode> it = this.suspects.values().iterator(); it.hasNext();) {
			SuspectNode suspect = it.next();
			String address = masters.get(suspect.nodeId());
			if (address == null) {
				it.remove();
				cleared.add(new NodeSuspicionClearedEvent(suspect, "no longer a master in the client's topology", now));
			}
			else if (!address.equals(suspect.address())) {
				it.remove();
				cleared.add(new NodeSuspicionClearedEvent(suspect, "moved to " + address, now));
			}
		}
		return cleared;
	}

	synchronized List<SuspectNode> all() {
		return List.copyOf(this.suspects.values());
	}

	synchronized boolean isEmpty() {
		return this.suspects.isEmpty();
	}

}
