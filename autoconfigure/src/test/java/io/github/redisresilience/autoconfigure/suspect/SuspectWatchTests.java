package io.github.redisresilience.autoconfigure.suspect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.autoconfigure.topology.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class SuspectWatchTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final List<Object> events = new ArrayList<>();

	private final AtomicInteger troubles = new AtomicInteger();

	@Test
	void masterThatTimesOutBecomesSuspectOnce() {
		SuspectWatch watch = watch(Function.identity());
		Partitions partitions = partitions(master("a", "10.0.0.1"), replica("b", "10.0.0.2", "a"));

		watch.timedOut(partitions, "a", SuspectNode.Cause.PROBE_TIMEOUT, "no answer within 500ms");
		watch.timedOut(partitions, "a", SuspectNode.Cause.PROBE_TIMEOUT, "no answer within 500ms");

		assertThat(watch.all()).singleElement().satisfies((suspect) -> {
			assertThat(suspect.address()).isEqualTo("10.0.0.1:6379");
			assertThat(suspect.since()).isEqualTo(NOW);
		});
		assertThat(this.events).singleElement().isInstanceOf(NodeSuspectedEvent.class);
		assertThat(this.troubles).hasValue(1);
	}

	@Test
	void replicaOrFailedMasterIsNeverSuspect() {
		SuspectWatch watch = watch(Function.identity());
		RedisClusterNode failed = master("c", "10.0.0.3");
		failed.getFlags().add(NodeFlag.FAIL);
		Partitions partitions = partitions(replica("b", "10.0.0.2", "a"), failed);

		watch.timedOut(partitions, "b", SuspectNode.Cause.PROBE_TIMEOUT, "timeout");
		watch.timedOut(partitions, "c", SuspectNode.Cause.PROBE_TIMEOUT, "timeout");
		watch.timedOut(partitions, "unknown", SuspectNode.Cause.PROBE_TIMEOUT, "timeout");

		assertThat(watch.all()).isEmpty();
		assertThat(this.events).isEmpty();
	}

	@Test
	void unansweredConnectionMakesTheMasterItDialsSuspect() {
		SuspectWatch watch = watch(Function.identity());
		Partitions partitions = partitions(master("a", "10.0.0.1"), master("b", "10.0.0.2"));

		watch.connectionUnanswered(partitions, closed("/10.0.0.2:6379"));

		assertThat(watch.all()).singleElement().satisfies((suspect) -> {
			assertThat(suspect.nodeId()).isEqualTo("b");
			assertThat(suspect.cause()).isEqualTo(SuspectNode.Cause.UNANSWERED_CONNECTION);
			assertThat(suspect.reason()).contains("2000 ms");
		});
	}

	@Test
	void unansweredConnectionIsMatchedThroughTheRemapRules() {
		SuspectWatch watch = watch((announced) -> HostAndPort.of("127.0.0.5", 7000 + announced.getPort() - 6379));
		Partitions partitions = partitions(master("a", "10.0.0.1"));

		watch.connectionUnanswered(partitions, closed("/127.0.0.5:7000"));

		assertThat(watch.all()).extracting(SuspectNode::nodeId).containsExactly("a");
	}

	@Test
	void answerEndsTheSuspicion() {
		SuspectWatch watch = watch(Function.identity());
		watch.timedOut(partitions(master("a", "10.0.0.1")), "a", SuspectNode.Cause.PROBE_TIMEOUT, "timeout");

		watch.answered("a");

		assertThat(watch.all()).isEmpty();
		assertThat(this.events).last()
			.isInstanceOfSatisfying(NodeSuspicionClearedEvent.class, (cleared) -> assertThat(cleared.why()).isEqualTo("answered"));
	}

	@Test
	void reviewEndsTheSuspicionOfAMasterThatWasDemoted() {
		SuspectWatch watch = watch(Function.identity());
		watch.timedOut(partitions(master("a", "10.0.0.1")), "a", SuspectNode.Cause.PROBE_TIMEOUT, "timeout");

		// Every suspect is cleared, so no node is PINGed and no client is needed.
		watch.review(null, partitions(replica("a", "10.0.0.1", "b"), master("b", "10.0.0.2")), Runnable::run);

		assertThat(watch.all()).isEmpty();
		assertThat(this.events).last()
			.isInstanceOfSatisfying(NodeSuspicionClearedEvent.class,
					(cleared) -> assertThat(cleared.why()).isEqualTo("no longer a master in the client's topology"));
	}

	@Test
	void suspectTheClusterFailedAwaitsThePromotionOfItsReplicaUntilTheViewShowsIt() {
		SuspectWatch watch = watch(Function.identity());
		watch.timedOut(partitions(master("a", "10.0.0.1"), replica("b", "10.0.0.2", "a")), "a",
				SuspectNode.Cause.UNANSWERED_CONNECTION, "timeout");

		// The failed master left the view (the failed-node filter); its replica is not promoted yet.
		watch.review(null, partitions(replica("b", "10.0.0.2", "a"), master("c", "10.0.0.3")), Runnable::run);

		assertThat(watch.all()).isEmpty();
		assertThat(watch.awaitingPromotion()).containsExactly("a");

		watch.review(null, partitions(master("b", "10.0.0.2"), master("c", "10.0.0.3")), Runnable::run);

		assertThat(watch.awaitingPromotion()).isEmpty();
	}

	@Test
	void suspectWithoutAReplicaAwaitsNoPromotion() {
		SuspectWatch watch = watch(Function.identity());
		watch.timedOut(partitions(master("a", "10.0.0.1")), "a", SuspectNode.Cause.UNANSWERED_CONNECTION, "timeout");

		watch.review(null, partitions(master("c", "10.0.0.3")), Runnable::run);

		assertThat(watch.awaitingPromotion()).isEmpty();
	}

	@Test
	void waitForAPromotionEndsAfterThePromotionWait() {
		MutableClock clock = new MutableClock(NOW);
		SuspectWatch watch = new SuspectWatch(Function.identity(), clock, this.events::add);
		watch.watch(new Watched());
		watch.timedOut(partitions(master("a", "10.0.0.1"), replica("b", "10.0.0.2", "a")), "a",
				SuspectNode.Cause.UNANSWERED_CONNECTION, "timeout");
		Partitions failedOver = partitions(replica("b", "10.0.0.2", "a"));
		watch.review(null, failedOver, Runnable::run);

		clock.advance(SuspectWatch.PROMOTION_WAIT);
		watch.review(null, failedOver, Runnable::run);
		assertThat(watch.awaitingPromotion()).containsExactly("a");

		clock.advance(Duration.ofMillis(1));
		watch.review(null, failedOver, Runnable::run);
		assertThat(watch.awaitingPromotion()).isEmpty();
	}

	private SuspectWatch watch(Function<HostAndPort, HostAndPort> dialling) {
		SuspectWatch watch = new SuspectWatch(dialling, Clock.fixed(NOW, ZoneOffset.UTC), this.events::add);
		watch.watch(new Watched());
		return watch;
	}

	private static UnansweredConnectionClosedEvent closed(String remoteAddress) {
		return new UnansweredConnectionClosedEvent(remoteAddress, Duration.ofMillis(2000), NOW);
	}

	private static Partitions partitions(RedisClusterNode... nodes) {
		Partitions partitions = new Partitions();
		for (RedisClusterNode node : nodes) {
			partitions.addPartition(node);
		}
		partitions.updateCache();
		return partitions;
	}

	private static RedisClusterNode master(String id, String host) {
		return node(id, host, null, NodeFlag.UPSTREAM);
	}

	private static RedisClusterNode replica(String id, String host, String masterId) {
		return node(id, host, masterId, NodeFlag.REPLICA);
	}

	private static RedisClusterNode node(String id, String host, String masterId, NodeFlag role) {
		return new RedisClusterNode(RedisURI.create(host, 6379), id, true, masterId, 0, 0, 0, new ArrayList<>(),
				EnumSet.of(role));
	}

	/** A watcher that is not running but counts what it is told. */
	private final class Watched implements WatchedCluster {

		@Override
		public @Nullable RedisClusterClient client() {
			return null;
		}

		@Override
		public long routingSinceNanos() {
			return 0;
		}

		@Override
		public @Nullable Executor executor() {
			return null;
		}

		@Override
		public void suspected() {
			SuspectWatchTests.this.troubles.incrementAndGet();
		}

	}

}
