package io.github.redisresilience.sample.status;

import java.util.List;

/**
 * Writes a node's slots as ranges, as {@code CLUSTER NODES} does: {@code 0-5460,10923}.
 */
final class SlotRanges {

	private SlotRanges() {
	}

	static String describe(List<Integer> slots) {
		List<Integer> sorted = slots.stream().sorted().toList();
		StringBuilder ranges = new StringBuilder();
		int i = 0;
		while (i < sorted.size()) {
			int start = sorted.get(i);
			int end = start;
			while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
				end = sorted.get(++i);
			}
			i++;
			if (!ranges.isEmpty()) {
				ranges.append(',');
			}
			ranges.append((start == end) ? Integer.toString(start) : start + "-" + end);
		}
		return ranges.toString();
	}

}
