package io.github.redisresilience.autoconfigure.actuate;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * The cluster as the client saw it at one moment: its topology view and which nodes answered.
 *
 * @param takenAt when the probe began
 * @param nodes every node of the client's view, with what probing it found
 * @param remapWarnings remapped addresses several nodes share, which cannot work without a
 * cluster-aware proxy
 * @param clientRunning whether a cluster client was running to be probed
 * @param problem why no node could be probed, {@code null} when they were
 */
record ClusterSnapshot(Instant takenAt, List<NodeProbe> nodes, List<String> remapWarnings, boolean clientRunning,
		@Nullable String problem) {

	static ClusterSnapshot withoutClient(Instant takenAt) {
		return new ClusterSnapshot(takenAt, List.of(), List.of(), false,
				"No Redis Cluster client is running (the connection factory is not started or not in cluster mode)");
	}

	static ClusterSnapshot withoutTopology(Instant takenAt, Throwable failure) {
		return new ClusterSnapshot(takenAt, List.of(), List.of(), true,
				"Could not read the cluster topology: " + Redaction.describe(failure));
	}

	/**
	 * The slots served by a master that answered.
	 * @return the covered slots
	 */
	BitSet coveredSlots() {
		BitSet covered = new BitSet(SlotHash.SLOT_COUNT);
		for (NodeProbe probe : this.nodes) {
			if (probe.reachable() && probe.node().master()) {
				covered.or(probe.node().slots());
			}
		}
		return covered;
	}

	BitSet uncoveredSlots() {
		BitSet uncovered = new BitSet(SlotHash.SLOT_COUNT);
		uncovered.set(0, SlotHash.SLOT_COUNT);
		uncovered.andNot(coveredSlots());
		return uncovered;
	}

	List<NodeProbe> unreachable() {
		return this.nodes.stream().filter((probe) -> !probe.reachable()).toList();
	}

	long count(boolean master) {
		return this.nodes.stream().filter((probe) -> probe.node().master() == master).count();
	}

	long countUnreachable(boolean master) {
		return this.nodes.stream().filter((probe) -> probe.node().master() == master && !probe.reachable()).count();
	}

	boolean anyReachableMaster() {
		return this.nodes.stream().anyMatch((probe) -> probe.node().master() && probe.reachable());
	}

	/**
	 * Whether the application can reach every slot: every slot is served by a master that
	 * answered.
	 * @return {@code true} if the cluster is usable
	 */
	boolean everySlotServed() {
		return this.problem == null && anyReachableMaster() && coveredSlots().cardinality() == SlotHash.SLOT_COUNT;
	}

}
