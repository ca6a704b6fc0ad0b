package io.github.redisresilience.sample.status;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotRangesTests {

	@Test
	void writesConsecutiveSlotsAsRangesAndLoneSlotsAlone() {
		assertThat(SlotRanges.describe(List.of(5, 0, 1, 2, 9, 10))).isEqualTo("0-2,5,9-10");
	}

	@Test
	void writesNoSlotsAsEmpty() {
		assertThat(SlotRanges.describe(List.of())).isEmpty();
	}

}
