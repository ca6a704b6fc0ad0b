package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs Lettuce's full refresh, which opens a new connection to every node: while degraded where
 * the held-connection reads are off, as the fallback where no seed can be read (see
 * {@link FallbackRefreshes}), and on demand. One runs at a time unless it has not finished within
 * {@link #REFRESH_GIVE_UP}; its outcome is counted, observed and published, on the watcher's
 * thread.
 */
final class FullRefreshes {

	/** Logs as the watcher did before it was split, so that log settings keep their meaning. */
	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	/** A refresh that has not finished by then is abandoned; Lettuce bounds it by its connect timeout. */
	static final Duration REFRESH_GIVE_UP = Duration.ofSeconds(30);

	private final Clock clock;

	private final TopologyCounters counters;

	private final ViewObserver observer;

	private final Supplier<Executor> completion;

	private final Runnable answered;

	private final Consumer<Duration> lookIn;

	private final boolean heldConnectionReads;

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private volatile Instant refreshStarted = Instant.MIN;

	/**
	 * @param completion where the outcome is handled: listeners of the events it publishes may
	 * well call Redis, which they must not do on Lettuce's event loop
	 * @param answered told when a refresh succeeded: the cluster answered
	 * @param lookIn asks for a look after a wait
	 * @param heldConnectionReads whether the watcher reads over held connections: then a newer
	 * view is read right after each refresh
	 */
	FullRefreshes(Clock clock, TopologyCounters counters, ViewObserver observer, Supplier<Executor> completion,
			Runnable answered, Consumer<Duration> lookIn, boolean heldConnectionReads) {
		this.clock = clock;
		this.counters = counters;
		this.observer = observer;
		this.completion = completion;
		this.answered = answered;
		this.lookIn = lookIn;
		this.heldConnectionReads = heldConnectionReads;
	}

	/**
	 * Starts a refresh unless one is running (and not yet given up on).
	 * @param trigger why, as the refresh reports it
	 */
	void refresh(RedisClusterClient client, String trigger) {
		Instant now = this.clock.instant();
		if (!this.refreshing.compareAndSet(false, true)) {
			if (Duration.between(this.refreshStarted, now).compareTo(REFRESH_GIVE_UP) < 0) {
				return;
			}
			logger.debug("Abandoning a topology refresh that did not finish within " + REFRESH_GIVE_UP);
		}
		this.refreshStarted = now;
		run(client, trigger).whenComplete((refresh, failure) -> this.refreshing.set(false));
	}

	/**
	 * Runs a refresh now, whether another runs or not.
	 * @return the outcome, once the refresh ended
	 */
	CompletableFuture<TopologyRefresh> run(RedisClusterClient client, String trigger) {
		Instant started = this.clock.instant();
		long startNanos = System.nanoTime();
		List<RedisClusterNode> before = List.copyOf(client.getPartitions());
		// Completed on the watcher's own thread, not Lettuce's event loop: listeners of the events
		// published below may well call Redis.
		return client.refreshPartitionsAsync().toCompletableFuture().handleAsync((done, failure) -> {
			String error = (failure != null) ? FailureText.describe(failure) : null;
			TopologyRefresh refresh = new TopologyRefresh(started, Duration.ofNanos(System.nanoTime() - startNanos),
					trigger, error);
			this.observer.refreshed(refresh);
			if (error != null) {
				this.counters.read(TopologyCounters.Kind.FULL, TopologyCounters.Outcome.FAILED);
				logger.debug("Topology refresh (" + trigger + ") failed: " + error);
			}
			else {
				Partitions after = client.getPartitions();
				this.counters.read(TopologyCounters.Kind.FULL, ViewComparison.compare(before, after).isEmpty()
						? TopologyCounters.Outcome.UNCHANGED : TopologyCounters.Outcome.CHANGED);
				this.answered.run();
				this.observer.observe(after);
				if (this.heldConnectionReads) {
					// The refresh may have started before the view applied last: read a newer one.
					this.lookIn.accept(Duration.ZERO);
				}
			}
			return refresh;
		}, this.completion.get());
	}

}
