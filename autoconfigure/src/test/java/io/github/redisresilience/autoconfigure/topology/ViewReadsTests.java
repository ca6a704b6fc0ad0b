package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class ViewReadsTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	private static final Duration PERIOD = Duration.ofSeconds(10);

	private final MutableClock clock = new MutableClock(NOW);

	private final TopologyCounters counters = new TopologyCounters();

	private final ViewOrdering ordering = new ViewOrdering();

	private final ViewObserver observer = new ViewObserver((event) -> {
	}, this.clock, this.counters, this.ordering, new DeploymentShapeDetector(List.of()), (delay) -> {
	});

	private final List<RedisClusterClient> fallbacks = new ArrayList<>();

	/** Not started: answers are handled on the test's thread. */
	private final ViewReads reads = new ViewReads(this.clock, PERIOD, Duration.ofMillis(500), this.counters,
			this.ordering, this.observer, new LookSchedule(() -> {
			}, () -> PERIOD), () -> Cadence.Mode.STEADY, new SeedReader(List.of(), ViewReads.READ_TIMEOUT), () -> null,
			this.fallbacks::add);

	private final FakeClusterClient client = new FakeClusterClient();

	@AfterEach
	void shutDown() {
		this.reads.stop();
		this.client.shutDown();
	}

	@Test
	void heldReadWithoutAnAnswerIsCountedAndKeepsTheReadsFailing() {
		this.client.view(view(master(A, "127.0.1.1:6379", 1, "0-16383")));

		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());

		assertThat(this.counters.reads(TopologyCounters.Kind.HELD, TopologyCounters.Outcome.FAILED)).isOne();
		assertThat(this.reads.failing()).isTrue();
		assertThat(this.fallbacks).isEmpty();
	}

	@Test
	void withoutSeedsTheFallbackRefreshWaitsForAPeriodWithoutAnswer() {
		this.client.view(view(master(A, "127.0.1.1:6379", 1, "0-16383")));
		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());

		this.clock.advance(PERIOD.minusMillis(1));
		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());
		assertThat(this.fallbacks).isEmpty();

		this.clock.advance(Duration.ofMillis(1));
		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());
		assertThat(this.fallbacks).containsExactly(this.client);
		assertThat(this.client.connects).as("no held connection was asked once one read failed").hasValue(1);
	}

	@Test
	void answerEndsTheFailures() {
		this.client.view(view(master(A, "127.0.1.1:6379", 1, "0-16383")));
		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());

		this.reads.answered();

		assertThat(this.reads.failing()).isFalse();
	}

	@Test
	void restartMakesTheFallbackRefreshWaitAWholePeriodAgain() {
		this.clock.advance(PERIOD);

		this.reads.restart();
		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());

		assertThat(this.fallbacks).isEmpty();
	}

	@Test
	void emptyViewWithoutSeedsOnlyRefreshes() {
		this.clock.advance(PERIOD);

		this.reads.readHeld(this.client, this.client.getPartitions(), Set.of());

		assertThat(this.fallbacks).containsExactly(this.client);
		assertThat(this.client.connects).hasValue(0);
	}

	@Test
	void nodeListingItselfIsTheSeedsOwnNode() {
		assertThat(ViewReads.ownNode(view(master(A, "127.0.1.1:6379", 1, "0-16383", "myself")))).isEqualTo(A);
		assertThat(ViewReads.ownNode(view(master(A, "127.0.1.1:6379", 1, "0-16383")))).isNull();
	}

}
