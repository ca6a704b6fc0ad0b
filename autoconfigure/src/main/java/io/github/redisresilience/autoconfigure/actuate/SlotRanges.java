package io.github.redisresilience.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Renders sets of hash slots the way {@code CLUSTER NODES} does: {@code 0-5460}, or one number for
 * a range of one slot.
 */
final class SlotRanges {

	private SlotRanges() {
	}

	static List<String> of(BitSet slots) {
		List<String> ranges = new ArrayList<>();
		int start = slots.nextSetBit(0);
		while (start >= 0) {
			int end = slots.nextClearBit(start) - 1;
			ranges.add((start == end) ? Integer.toString(start) : start + "-" + end);
			start = slots.nextSetBit(end + 1);
		}
		return ranges;
	}

}
