package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;

/**
 * Published as an application event when the client's topology stops or starts again to have a
 * node for every hash slot: commands for uncovered slots fail until it is covered again, so this is
 * the event to alert on.
 *
 * @param uncoveredSlots how many of the 16384 slots have no node in the client's topology now
 * @param detectedAt when the starter saw the change
 */
public record SlotCoverageChangedEvent(int uncoveredSlots, Instant detectedAt) {

	/**
	 * Whether every slot is covered again.
	 * @return {@code true} when coverage was regained, {@code false} when it was lost
	 */
	public boolean everySlotCovered() {
		return this.uncoveredSlots == 0;
	}

}
