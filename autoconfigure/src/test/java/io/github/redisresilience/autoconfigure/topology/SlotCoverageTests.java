package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class SlotCoverageTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final SlotCoverage coverage = new SlotCoverage();

	private final List<SlotCoverageChangedEvent> events = new ArrayList<>();

	@Test
	void fullCoverageAtTheFirstLookIsNoChange() {
		assertThat(this.coverage.check(partitions(master(A, "127.0.1.1:6379", 1, "0-16383")), NOW, this.events::add))
			.isZero();
		assertThat(this.events).isEmpty();
		assertThat(this.coverage.lastHadUncovered()).isFalse();
	}

	@Test
	void lostAndRegainedCoverageAreEachPublishedOnce() {
		Partitions half = partitions(master(A, "127.0.1.1:6379", 1, "0-8191"));
		Partitions all = partitions(master(A, "127.0.1.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383"));
		this.coverage.check(all, NOW, this.events::add);
		assertThat(this.coverage.check(half, NOW, this.events::add)).isEqualTo(8192);
		this.coverage.check(half, NOW, this.events::add);
		assertThat(this.coverage.lastHadUncovered()).isTrue();
		this.coverage.check(all, NOW, this.events::add);
		assertThat(this.events).extracting(SlotCoverageChangedEvent::uncoveredSlots).containsExactly(8192, 0);
	}

	@Test
	void emptyViewHasNoSlotCoveredAndPublishesNothing() {
		assertThat(this.coverage.check(new Partitions(), NOW, this.events::add)).isEqualTo(SlotHash.SLOT_COUNT);
		assertThat(this.events).isEmpty();
	}

	private static Partitions partitions(String... lines) {
		Partitions partitions = new Partitions();
		partitions.addAll(view(lines));
		partitions.updateCache();
		return partitions;
	}

}
