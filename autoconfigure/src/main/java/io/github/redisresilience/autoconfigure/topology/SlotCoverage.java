package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.function.Consumer;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import org.jspecify.annotations.Nullable;

/**
 * How many slots have no node in the client's view, and when that crossed zero.
 */
final class SlotCoverage {

	private volatile @Nullable Integer last;

	static int uncovered(Partitions partitions) {
		if (partitions.isEmpty()) {
			return SlotHash.SLOT_COUNT;
		}
		int uncovered = 0;
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
			if (partitions.getPartitionBySlot(slot) == null) {
				uncovered++;
			}
		}
		return uncovered;
	}

	/**
	 * Looks at a view.
	 * @param changed told when coverage was lost or regained since the last look
	 * @return how many slots have no node (all of them before the first topology is read)
	 */
	int check(Partitions partitions, Instant now, Consumer<SlotCoverageChangedEvent> changed) {
		int uncovered = uncovered(partitions);
		if (partitions.isEmpty()) {
			return uncovered;
		}
		Integer previous = this.last;
		this.last = uncovered;
		if (previous == null ? uncovered != 0 : (previous == 0) != (uncovered == 0)) {
			changed.accept(new SlotCoverageChangedEvent(uncovered, now));
		}
		return uncovered;
	}

	/**
	 * Whether the last look found slots without a node.
	 */
	boolean lastHadUncovered() {
		Integer uncovered = this.last;
		return uncovered != null && uncovered > 0;
	}

}
