package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.internal.HostAndPort;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.replica;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class ViewObserverTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final List<Object> events = new ArrayList<>();

	private final List<Duration> looks = new ArrayList<>();

	private final TopologyCounters counters = new TopologyCounters();

	private final ViewObserver observer = new ViewObserver(this.events::add, this.clock, this.counters,
			new ViewOrdering(), new DeploymentShapeDetector(List.of(HostAndPort.of("redis.local", 6379))),
			this.looks::add);

	@Test
	void nodeAtANewAddressIsPublishedAndMovesTheRoutingEpoch() {
		this.observer.observe(partitions(master(A, "127.0.1.1:6379", 1, "0-16383")));
		long before = this.observer.routingSinceNanos();

		this.observer.observe(partitions(master(A, "127.0.1.9:6379", 1, "0-16383")));

		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(NodeAddressChangedEvent.class,
					(moved) -> assertThat(moved.currentAddress()).isEqualTo("127.0.1.9:6379"));
		assertThat(this.observer.recentAddressChanges()).hasSize(1);
		assertThat(this.observer.routingSinceNanos() - before).isPositive();
	}

	@Test
	void promotedReplicaMovesTheRoutingEpochWithoutAnEvent() {
		this.observer.observe(partitions(master(A, "127.0.1.1:6379", 1, "0-16383"),
				replica(A1, "127.0.1.2:6379", A, 1)));
		long before = this.observer.routingSinceNanos();

		this.observer.observe(partitions(master(A1, "127.0.1.2:6379", 2, "0-16383"),
				replica(A, "127.0.1.1:6379", A1, 2)));

		assertThat(this.events).isEmpty();
		assertThat(this.observer.routingSinceNanos() - before).isPositive();
	}

	@Test
	void unchangedViewLeavesTheRoutingEpoch() {
		Partitions partitions = partitions(master(A, "127.0.1.1:6379", 1, "0-16383"));
		this.observer.observe(partitions);
		long before = this.observer.routingSinceNanos();

		this.observer.observe(partitions);

		assertThat(this.observer.routingSinceNanos()).isEqualTo(before);
		assertThat(this.looks).isEmpty();
	}

	@Test
	void lostCoverageIsPublishedAndRemembered() {
		assertThat(this.observer.checkCoverage(partitions(master(A, "127.0.1.1:6379", 1, "0-8191"),
				master(B, "127.0.1.3:6379", 2, "8192-16383"))))
			.isZero();

		assertThat(this.observer.checkCoverage(partitions(master(A, "127.0.1.1:6379", 1, "0-8191")))).isEqualTo(8192);

		assertThat(this.events).singleElement().isInstanceOf(SlotCoverageChangedEvent.class);
		assertThat(this.observer.lastHadUncovered()).isTrue();
	}

	@Test
	void deploymentShapeIsDetectedOnceFromTheFirstViewWithNodes() {
		this.observer.detectShape(new Partitions());
		assertThat(this.observer.deploymentShape()).isEmpty();

		this.observer.detectShape(partitions(master(A, "127.0.1.1:6379", 1, "0-16383")));
		DeploymentShape first = this.observer.deploymentShape().orElseThrow();
		this.observer.detectShape(partitions(master(A, "127.0.1.1:6379,redis-0.local", 1, "0-16383")));

		assertThat(this.observer.deploymentShape()).containsSame(first);
	}

	@Test
	void refreshIsKeptAndPublished() {
		TopologyRefresh refresh = new TopologyRefresh(NOW, Duration.ofMillis(3), "periodic", null);

		this.observer.refreshed(refresh);

		assertThat(this.observer.lastRefresh()).contains(refresh);
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(TopologyRefreshedEvent.class, (event) -> assertThat(event.refresh()).isSameAs(refresh));
	}

	@Test
	void failingListenerBreaksNeitherTheObserverNorTheRefreshItReports() {
		ViewObserver observer = new ViewObserver((event) -> {
			throw new IllegalStateException("listener failed");
		}, this.clock, this.counters, new ViewOrdering(), new DeploymentShapeDetector(List.of()), this.looks::add);
		TopologyRefresh refresh = new TopologyRefresh(NOW, Duration.ofMillis(3), "periodic", null);
		observer.observe(partitions(master(A, "127.0.1.1:6379", 1, "0-16383")));

		observer.observe(partitions(master(A, "127.0.1.9:6379", 1, "0-16383")));
		observer.refreshed(refresh);

		assertThat(observer.recentAddressChanges()).hasSize(1);
		assertThat(observer.lastRefresh()).contains(refresh);
	}

	private static Partitions partitions(String... lines) {
		Partitions partitions = new Partitions();
		partitions.addAll(view(lines));
		partitions.updateCache();
		return partitions;
	}

}
