package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads the view of one node per look, over a connection already held ({@link TopologyReader}),
 * or from a seed once a read got no answer ({@link SeedReader}), and applies it when it differs
 * and is not older than the one the client routes by ({@link ViewOrdering},
 * {@link PartitionsApplier}). A node that failed a read is not asked again for four degraded
 * periods; a read still waiting is not waited for. Reads are started, and their answers handled,
 * on the watcher's thread. Held and seed reads stay in one class, a little over 300 lines: they
 * share the failures in a row, the fallback patience and the applying of what they read.
 */
final class ViewReads {

	/** Logs as the watcher did before it was split, so that log settings keep their meaning. */
	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	/**
	 * The longest wait for a held-connection read: a live node answers {@code CLUSTER NODES} in a
	 * millisecond or two, and the next read asks another node.
	 */
	static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	private final Clock clock;

	private final Duration degradedPeriod;

	private final TopologyCounters counters;

	/** Confined to the watcher's thread. */
	private final ViewOrdering ordering;

	private final ViewObserver observer;

	private final LookSchedule schedule;

	private final Supplier<Cadence.Mode> mode;

	private final TopologyReader reader;

	private final SeedReader seedReader;

	private final PartitionsApplier applier = new PartitionsApplier();

	/** Confined to the watcher's thread. */
	private final SourceChoice sourceChoice = new SourceChoice(ThreadLocalRandom.current().nextInt());

	/** Nodes that failed a read recently, with when they may be asked again; watcher's thread only. */
	private final Map<String, Instant> failedSources = new HashMap<>();

	private final Set<String> readsInFlight = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean seedReading = new AtomicBoolean();

	/** Watcher's thread only. */
	private final FallbackRefreshes fallbackRefreshes;

	private volatile @Nullable String lastAnswered;

	private volatile int failuresInARow;

	private final Consumer<RedisClusterClient> fallbackRefresh;

	/**
	 * @param mode the watcher's mode when a read starts, which names its trigger
	 * @param seeds the seeds, read when no held connection answers
	 * @param applicationConnection the application's shared cluster connection, if it has one open
	 * @param fallbackRefresh starts Lettuce's full refresh where there is no seed to read
	 */
	ViewReads(Clock clock, Duration period, Duration degradedPeriod, TopologyCounters counters, ViewOrdering ordering,
			ViewObserver observer, LookSchedule schedule, Supplier<Cadence.Mode> mode, SeedReader seeds,
			Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> applicationConnection,
			Consumer<RedisClusterClient> fallbackRefresh) {
		this.clock = clock;
		this.degradedPeriod = degradedPeriod;
		this.counters = counters;
		this.ordering = ordering;
		this.observer = observer;
		this.schedule = schedule;
		this.mode = mode;
		this.reader = new TopologyReader(READ_TIMEOUT, applicationConnection);
		this.seedReader = seeds;
		this.fallbackRefreshes = new FallbackRefreshes(period, clock);
		this.fallbackRefresh = fallbackRefresh;
	}

	/** A watcher started again begins afresh: reads that failed before the stop say nothing now. */
	void restart() {
		this.failuresInARow = 0;
		this.fallbackRefreshes.calm();
	}

	/**
	 * Calm again: the seed connection kept for this episode's seed reads goes, and the next
	 * episode's first fallback refresh may run at once.
	 */
	void calm() {
		this.seedReader.release();
		this.fallbackRefreshes.calm();
	}

	/** The cluster answered a read or a refresh. */
	void answered() {
		this.failuresInARow = 0;
		this.fallbackRefreshes.answered();
	}

	/** Whether the last read got no answer: the watcher stays degraded until one answers. */
	boolean failing() {
		return this.failuresInARow > 0;
	}

	/**
	 * Reads the view of one node over a held connection and applies it if it differs.
	 * @param readFirst the nodes whose replicas are read first: suspect masters, and failed ones
	 * whose replica has not been seen promoted yet
	 */
	void readHeld(RedisClusterClient current, Partitions partitions, Set<String> readFirst) {
		Instant now = this.clock.instant();
		this.failedSources.values().removeIf(now::isAfter);
		// A read still waiting is not waited for: the next one asks another node.
		Set<String> excluded = new HashSet<>(this.failedSources.keySet());
		excluded.addAll(this.readsInFlight);
		String source = this.sourceChoice.next(partitions, readFirst, excluded, this.lastAnswered);
		if (source == null || this.failuresInARow > 0) {
			// The last read got no answer (after all pods moved, every known address is dead):
			// ask a seed instead. One read per look: a held connection is asked only while a
			// seed read is still waiting, so a fleet in trouble reads no faster than its cadence.
			if (readSeed(current, partitions) || source == null) {
				return;
			}
		}
		RedisClusterNode sourceNode = partitions.getPartitionByNodeId(source);
		if (sourceNode == null || !this.readsInFlight.add(source)) {
			return;
		}
		long sequence = this.ordering.begin();
		Instant started = this.clock.instant();
		long startNanos = System.nanoTime();
		String trigger = (this.mode.get() == Cadence.Mode.STEADY) ? "periodic" : "degraded";
		Executor completion = this.schedule.completion();
		CompletableFuture<List<RedisClusterNode>> read;
		try {
			read = this.reader.read(current, source, sourceNode.getUri());
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		// Cleared whatever the executor does: a stopped one rejects the handling below.
		read.whenComplete((view, failure) -> this.readsInFlight.remove(source));
		read.handleAsync((view, failure) -> {
			if (failure != null) {
				readFailed(source, failure);
			}
			else {
				ReadStart start = new ReadStart(sequence, started, startNanos, trigger, TopologyCounters.Kind.HELD);
				readDone(current, start, source, view);
			}
			return null;
		}, completion);
	}

	/**
	 * Reads the view of a seed over this episode's seed connection (see {@link SeedReader}); with
	 * no seeds to read, Lettuce's full refresh runs instead (its own fallback through every known
	 * node and every seed), when {@link FallbackRefreshes} allows.
	 * @return whether a read or refresh started; not while a seed read is still waiting
	 */
	private boolean readSeed(RedisClusterClient current, Partitions partitions) {
		RedisClusterNode any = partitions.isEmpty() ? null : partitions.getPartition(0);
		if (!this.seedReader.hasSeeds() || any == null || any.getUri() == null) {
			if (this.fallbackRefreshes.due()) {
				this.fallbackRefresh.accept(current);
			}
			return true;
		}
		if (!this.seedReading.compareAndSet(false, true)) {
			return false;
		}
		long sequence = this.ordering.begin();
		ReadStart start = new ReadStart(sequence, this.clock.instant(), System.nanoTime(), "fallback",
				TopologyCounters.Kind.SEED);
		CompletableFuture<List<RedisClusterNode>> read;
		try {
			read = this.seedReader.read(current, any.getUri());
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		read.whenComplete((view, failure) -> this.seedReading.set(false));
		read.handleAsync((view, failure) -> {
			String source = (view != null) ? ownNode(view) : null;
			if (failure != null || source == null) {
				this.counters.read(TopologyCounters.Kind.SEED, TopologyCounters.Outcome.FAILED);
				logger.debug("Topology read from a seed failed"
						+ ((failure != null) ? ": " + FailureText.describe(failure) : ": no node listed itself"));
				// Right after a mass move a seed may still lead to a pod that is starting, or a
				// Service to one that is gone: the seeds are asked again at the next look, and
				// the held connections, which reconnect on their own, in between. Never Lettuce's
				// full refresh, which would dial every node and every seed at once (see
				// FallbackRefreshes).
			}
			else {
				readDone(current, start, source, view);
			}
			return null;
		}, this.schedule.completion());
		return true;
	}

	static @Nullable String ownNode(List<RedisClusterNode> view) {
		for (RedisClusterNode node : view) {
			if (node.is(RedisClusterNode.NodeFlag.MYSELF)) {
				return node.getNodeId();
			}
		}
		return null;
	}

	private void readFailed(String source, Throwable failure) {
		this.counters.read(TopologyCounters.Kind.HELD, TopologyCounters.Outcome.FAILED);
		this.failedSources.put(source, this.clock.instant().plus(this.degradedPeriod.multipliedBy(4)));
		if (source.equals(this.lastAnswered)) {
			this.lastAnswered = null;
		}
		this.failuresInARow++;
		logger.debug("Topology read from node " + source + " failed: " + FailureText.describe(failure));
		this.schedule.lookIn(this.degradedPeriod);
	}

	private void readDone(RedisClusterClient current, ReadStart start, String source, List<RedisClusterNode> view) {
		TopologyCounters.Kind kind = start.kind();
		answered();
		if (kind == TopologyCounters.Kind.HELD) {
			this.lastAnswered = source;
		}
		Partitions partitions = current.getPartitions();
		List<String> renamed = AnnouncedNames.keep(partitions, view, source);
		if (!renamed.isEmpty()) {
			logger.debug("Topology read from node " + source + " lists nodes " + renamed
					+ " by IP; they keep the host names they announce");
		}
		ViewComparison.ViewChanges changes = ViewComparison.compare(partitions, view);
		if (changes.isEmpty()) {
			this.counters.read(kind, TopologyCounters.Outcome.UNCHANGED);
			return;
		}
		ViewOrdering.Verdict verdict = this.ordering.judge(start.sequence(), partitions, view, source,
				this.clock.instant());
		if (verdict != ViewOrdering.Verdict.APPLY) {
			this.counters.read(kind, TopologyCounters.Outcome.REFUSED);
			logger.debug("Topology read from node " + source + " not applied (" + verdict + "): " + changes);
			return;
		}
		RedisClusterNode sourceNode = view.stream()
			.filter((node) -> source.equals(node.getNodeId()))
			.findFirst()
			.orElse(null);
		this.applier.apply(current, view).whenCompleteAsync((done, failure) -> {
			if (failure != null) {
				this.counters.read(kind, TopologyCounters.Outcome.FAILED);
				logger.debug("Topology read from node " + source + " could not be applied: "
						+ FailureText.describe(failure));
				return;
			}
			if (sourceNode != null) {
				this.ordering.applied(start.sequence(), sourceNode);
			}
			this.counters.read(kind, TopologyCounters.Outcome.CHANGED);
			this.counters.applied();
			logger.debug("Topology read (" + kind.tag() + ") from node " + source + " applied: " + changes);
			this.observer.refreshed(new TopologyRefresh(start.at(), Duration.ofNanos(System.nanoTime() - start.nanos()),
					start.trigger(), null));
			Partitions applied = current.getPartitions();
			this.observer.observe(applied);
			this.observer.checkCoverage(applied);
		}, this.schedule.completion());
	}

	/** Closes the reader and the seed reader, and forgets the reads abandoned by the stop. */
	void stop() {
		this.reader.close();
		this.seedReader.close();
		// Reads abandoned by the stop clear their own marks when they complete; a restarted
		// watcher must not wait for that.
		this.readsInFlight.clear();
		this.seedReading.set(false);
	}

	/**
	 * When a read began, and why.
	 */
	private record ReadStart(long sequence, Instant at, long nanos, String trigger, TopologyCounters.Kind kind) {

	}

}
