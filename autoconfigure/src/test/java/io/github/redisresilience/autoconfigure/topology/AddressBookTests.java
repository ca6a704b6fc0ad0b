package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressBookTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final AddressBook book = new AddressBook();

	@Test
	void firstLookReportsNoChange() {
		assertThat(this.book.update(Map.of("a", "10.0.0.1:6379"), NOW)).isEmpty();
	}

	@Test
	void nodeKeepingItsIdAtANewAddressIsReportedOnce() {
		this.book.update(Map.of("a", "10.0.0.1:6379", "b", "10.0.0.2:6379"), NOW);

		assertThat(this.book.update(Map.of("a", "10.0.0.9:6379", "b", "10.0.0.2:6379"), NOW))
			.containsExactly(new NodeAddressChangedEvent("a", "10.0.0.1:6379", "10.0.0.9:6379", NOW));
		assertThat(this.book.update(Map.of("a", "10.0.0.9:6379", "b", "10.0.0.2:6379"), NOW)).isEmpty();
	}

	@Test
	void nodeMissingFromOneLookStillCountsAsMovedWhenItReappearsElsewhere() {
		this.book.update(Map.of("a", "10.0.0.1:6379"), NOW);
		this.book.update(Map.of(), NOW);

		assertThat(this.book.update(Map.of("a", "10.0.0.7:6379"), NOW)).extracting(NodeAddressChangedEvent::previousAddress)
			.containsExactly("10.0.0.1:6379");
	}

	@Test
	void newNodeIsNotAMove() {
		this.book.update(Map.of("a", "10.0.0.1:6379"), NOW);

		assertThat(this.book.update(Map.of("a", "10.0.0.1:6379", "c", "10.0.0.3:6379"), NOW)).isEmpty();
	}

	@Test
	void keepsTheMostRecentChangesOldestFirst() {
		for (int i = 0; i <= AddressBook.RECENT_CHANGES + 1; i++) {
			this.book.update(Map.of("a", "10.0.0." + i + ":6379"), NOW);
		}
		assertThat(this.book.recent()).hasSize(AddressBook.RECENT_CHANGES);
		assertThat(this.book.recent().get(AddressBook.RECENT_CHANGES - 1).currentAddress())
			.isEqualTo("10.0.0." + (AddressBook.RECENT_CHANGES + 1) + ":6379");
	}

	@Test
	void replacedPodsAreForgottenOnceMoreNodesAreRememberedThanAnyClusterHolds() {
		this.book.update(Map.of("a", "10.0.0.1:6379"), NOW);
		for (int i = 0; i <= Promotions.MAX_NODES; i++) {
			// Each look: a pod replaced by one with a new node ID.
			this.book.update(Map.of("replaced-" + i, "10.0.1.1:6379"), NOW);
		}
		assertThat(this.book.remembered()).isLessThanOrEqualTo(Promotions.MAX_NODES + 1);
		// Forgotten with the others: its return is a new node, not a move.
		assertThat(this.book.update(Map.of("a", "10.0.0.9:6379"), NOW)).isEmpty();
	}

}
