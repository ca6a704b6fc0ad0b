package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class FullRefreshesTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final TopologyCounters counters = new TopologyCounters();

	private final List<Object> events = new ArrayList<>();

	private final List<Duration> looks = new ArrayList<>();

	private final AtomicInteger answers = new AtomicInteger();

	private final ViewObserver observer = new ViewObserver(this.events::add, this.clock, this.counters,
			new ViewOrdering(), new DeploymentShapeDetector(List.of()), this.looks::add);

	private final FakeClusterClient client = new FakeClusterClient();

	@AfterEach
	void shutDown() {
		this.client.shutDown();
	}

	@Test
	void refreshThatChangedTheViewIsCountedObservedAndPublished() {
		this.client.refreshes(CompletableFuture.completedFuture(null), view(master(A, "127.0.1.1:6379", 1, "0-16383")));

		TopologyRefresh refresh = refreshes(true).run(this.client, "on-demand").join();

		assertThat(refresh.trigger()).isEqualTo("on-demand");
		assertThat(refresh.error()).isNull();
		assertThat(this.counters.reads(TopologyCounters.Kind.FULL, TopologyCounters.Outcome.CHANGED)).isOne();
		assertThat(this.answers).hasValue(1);
		assertThat(this.observer.lastRefresh()).contains(refresh);
		assertThat(this.events).singleElement().isInstanceOf(TopologyRefreshedEvent.class);
		assertThat(this.looks).as("a newer view is read at once").containsExactly(Duration.ZERO);
	}

	@Test
	void withoutHeldConnectionReadsNoLookFollowsARefresh() {
		refreshes(false).run(this.client, "degraded").join();

		assertThat(this.counters.reads(TopologyCounters.Kind.FULL, TopologyCounters.Outcome.UNCHANGED)).isOne();
		assertThat(this.looks).isEmpty();
	}

	@Test
	void failedRefreshIsCountedAndPublishedWithItsError() {
		this.client.refreshes(CompletableFuture.failedFuture(new RedisConnectionException("refused")), List.of());

		TopologyRefresh refresh = refreshes(true).run(this.client, "fallback").join();

		assertThat(refresh.error()).contains("refused");
		assertThat(this.counters.reads(TopologyCounters.Kind.FULL, TopologyCounters.Outcome.FAILED)).isOne();
		assertThat(this.answers).hasValue(0);
		assertThat(this.events).singleElement().isInstanceOf(TopologyRefreshedEvent.class);
	}

	@Test
	void refreshStillRunningHoldsBackTheNextUntilItIsGivenUpOn() {
		CompletableFuture<Void> running = new CompletableFuture<>();
		this.client.refreshes(running, List.of());
		FullRefreshes refreshes = refreshes(true);

		refreshes.refresh(this.client, "degraded");
		this.clock.advance(FullRefreshes.REFRESH_GIVE_UP.minusMillis(1));
		refreshes.refresh(this.client, "degraded");
		assertThat(this.client.refreshes).hasValue(1);

		this.clock.advance(Duration.ofMillis(1));
		refreshes.refresh(this.client, "degraded");
		assertThat(this.client.refreshes).hasValue(2);
	}

	@Test
	void finishedRefreshLetsTheNextRun() {
		FullRefreshes refreshes = refreshes(true);

		refreshes.refresh(this.client, "degraded");
		refreshes.refresh(this.client, "degraded");

		assertThat(this.client.refreshes).hasValue(2);
	}

	private FullRefreshes refreshes(boolean heldConnectionReads) {
		return new FullRefreshes(this.clock, this.counters, this.observer, () -> Runnable::run,
				this.answers::incrementAndGet, this.looks::add, heldConnectionReads);
	}

}
