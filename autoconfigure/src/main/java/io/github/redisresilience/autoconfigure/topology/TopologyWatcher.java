package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.cluster.AdaptiveRefreshTriggeredEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.internal.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.autoconfigure.retry.AttemptsTimedOutEvent;

/**
 * Follows the cluster topology of the application's {@link RedisClusterClient}.
 * <p>
 * It reads the topology with one {@code CLUSTER NODES} over a connection it already holds (see
 * {@link TopologyReader}), compares the view with the one the client routes by, and applies it
 * only when it differs, in order ({@link ViewOrdering}) and without a new connection
 * ({@link PartitionsApplier}). It reads once per {@code redis.resilience.topology.refresh.period}
 * while all is well, every {@code degraded-period} while the client is in trouble (connections
 * reconnecting, commands timing out, Lettuce asking for an adaptive refresh, slots without a
 * node), and every {@code suspect-period} from a suspect master's replicas (see {@link Cadence}).
 * Lettuce's full refresh, which opens a new connection to every node, runs only when no held
 * connection answers (it falls back to the seeds), on demand, and where the application turned
 * the held-connection reads off.
 * <p>
 * After each look it compares node addresses by node ID and publishes a
 * {@link NodeAddressChangedEvent} for each node that moved, which Lettuce does not. It also keeps
 * what operators need to see (the last full refresh, recent address changes, suspect nodes,
 * {@link TopologyCounters}) and refreshes on demand.
 * <p>
 * A master is <em>suspect</em> when it stops answering while the client's topology still lists
 * it as a master (see {@link SuspectWatch}): the window in which a frozen master holds its slots
 * before its replica is promoted. Suspects are reviewed, and PINGed, on every look; each change is
 * published as a {@link NodeSuspectedEvent} or {@link NodeSuspicionClearedEvent}.
 */
public final class TopologyWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	/** A refresh that has not finished by then is abandoned; Lettuce bounds it by its connect timeout. */
	private static final Duration REFRESH_GIVE_UP = Duration.ofSeconds(30);

	/**
	 * The longest wait for a held-connection read: a live node answers {@code CLUSTER NODES} in a
	 * millisecond or two, and the next read asks another node.
	 */
	private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	/** The longest wait for a running look when the watcher stops: its reads time out sooner. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Lettuce publishes its topology change before it applies it: look shortly after.
	 */
	private static final Duration AFTER_LETTUCE_CHANGE = Duration.ofMillis(20);

	private final Supplier<@Nullable RedisClusterClient> clientSupplier;

	private final ApplicationEventPublisher events;

	private final Settings settings;

	private final Clock clock;

	private final int phase;

	/** The nodes the last look found back on addresses they had left: watcher's thread only. */
	private List<String> lastRegressed = List.of();

	private final AddressBook addressBook = new AddressBook();

	private final Promotions promotions = new Promotions();

	private final TopologyCounters counters = new TopologyCounters();

	private final TroubleWindow trouble;

	private final Cadence cadence;

	/** Confined to the watcher's thread. */
	private final ViewOrdering ordering = new ViewOrdering();

	/** Confined to the watcher's thread. */
	private final SourceChoice sourceChoice = new SourceChoice(ThreadLocalRandom.current().nextInt());

	/** Nodes that failed a read recently, with when they may be asked again; watcher's thread only. */
	private final Map<String, Instant> failedSources = new HashMap<>();

	private final Set<String> readsInFlight = ConcurrentHashMap.newKeySet();

	private final TopologyReader reader;

	private final SeedReader seedReader;

	private final PartitionsApplier applier = new PartitionsApplier();

	private final AtomicBoolean seedReading = new AtomicBoolean();

	private volatile @Nullable String lastAnswered;

	private volatile int failuresInARow;

	/** Watcher's thread only. */
	private final FallbackRefreshes fallbackRefreshes;

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private volatile Instant refreshStarted = Instant.MIN;

	private volatile @Nullable TopologyRefresh lastRefresh;

	private final DeploymentShapeDetector shapeDetector;

	private volatile @Nullable DeploymentShape deploymentShape;

	private final SlotCoverage coverage = new SlotCoverage();

	private final SuspectWatch suspectWatch;

	private volatile @Nullable RedisClusterClient client;

	private volatile @Nullable Disposable subscription;

	private volatile @Nullable ScheduledExecutorService scheduler;

	private final Object scheduling = new Object();

	private @Nullable ScheduledFuture<?> nextLook;

	private long nextLookNanos;

	/**
	 * Replaced (never mutated) whenever a node of the view moved or a replica was promoted. A
	 * command sent by a view that has moved on since times out as an echo of trouble already
	 * handled: after every pod moved, a write sent to an old address just before the new one was
	 * applied would keep the client degraded for another window after the heal.
	 */
	private volatile Routing routing = new Routing(System.nanoTime());

	TopologyWatcher(Supplier<@Nullable RedisClusterClient> clientSupplier, ApplicationEventPublisher events,
			Settings settings, Clock clock, int phase, DeploymentShapeDetector shapeDetector,
			Function<HostAndPort, HostAndPort> dialling,
			Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> applicationConnection) {
		this.clientSupplier = clientSupplier;
		this.reader = new TopologyReader(READ_TIMEOUT, applicationConnection);
		this.seedReader = new SeedReader(shapeDetector.seeds(), READ_TIMEOUT);
		this.events = events;
		this.settings = settings;
		// Reconnects come in bursts a few backoff steps apart (at most 1 s by default): three
		// degraded periods bridge them, and the client is back to the period 1.5 s after the last.
		this.trouble = new TroubleWindow(settings.degradedPeriod().multipliedBy(3), clock, this.counters);
		this.fallbackRefreshes = new FallbackRefreshes(settings.period(), clock);
		this.cadence = new Cadence(settings.period(), settings.degradedPeriod(), settings.suspectPeriod(),
				() -> ThreadLocalRandom.current().nextDouble());
		this.clock = clock;
		this.phase = phase;
		this.shapeDetector = shapeDetector;
		this.suspectWatch = new SuspectWatch(dialling, clock, this::publish,
				() -> troubleSeen(TopologyCounters.Sign.SUSPECT));
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-resilience-topology");
			thread.setDaemon(true);
			return thread;
		});
		// A watcher started again begins afresh: reads that failed before the stop say nothing now.
		this.failuresInARow = 0;
		this.fallbackRefreshes.calm();
		this.scheduler = executor;
		// Take hold of the client now, before the application opens its first connection: a
		// command listener only reaches connections opened after it was added.
		client();
		lookIn(this.settings.degradedPeriod());
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		Disposable current;
		synchronized (this) {
			executor = this.scheduler;
			current = this.subscription;
			this.scheduler = null;
			this.client = null;
			this.subscription = null;
		}
		if (current != null) {
			current.dispose();
		}
		synchronized (this.scheduling) {
			// The stopped executor never runs it: left here, it would hold back every look after a start.
			ScheduledFuture<?> pending = this.nextLook;
			if (pending != null) {
				pending.cancel(false);
			}
			this.nextLook = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			// A look still running could open a reader's connection after the readers are closed.
			awaitTermination(executor);
		}
		this.suspectWatch.close();
		this.reader.close();
		this.seedReader.close();
		// Reads abandoned by the stop clear their own marks when they complete; a restarted
		// watcher must not wait for that.
		this.readsInFlight.clear();
		this.seedReading.set(false);
	}

	private static void awaitTermination(ScheduledExecutorService executor) {
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.debug("The topology watcher's thread did not stop within " + STOP_TIMEOUT.toMillis() + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Schedules the next look unless one is due sooner.
	 */
	private void lookIn(Duration delay) {
		synchronized (this.scheduling) {
			ScheduledExecutorService executor = this.scheduler;
			if (executor == null || executor.isShutdown()) {
				return;
			}
			long at = System.nanoTime() + delay.toNanos();
			ScheduledFuture<?> pending = this.nextLook;
			if (pending != null && !pending.isDone()) {
				if (this.nextLookNanos - at <= 0) {
					return;
				}
				pending.cancel(false);
			}
			this.nextLook = executor.schedule(this::tick, delay.toNanos(), TimeUnit.NANOSECONDS);
			this.nextLookNanos = at;
		}
	}

	void tick() {
		synchronized (this.scheduling) {
			this.nextLook = null;
		}
		try {
			look();
		}
		catch (RuntimeException ex) {
			logger.debug("Topology check failed", ex);
		}
		finally {
			lookIn(nextDelay());
		}
	}

	private Duration nextDelay() {
		if (!this.settings.heldConnectionReads()) {
			// Reads are full refreshes, run only while degraded: look as often as before.
			return this.settings.degradedPeriod();
		}
		return this.cadence.next(mode());
	}

	Cadence.Mode mode() {
		if (!this.suspectWatch.all().isEmpty() || !this.suspectWatch.awaitingPromotion().isEmpty()) {
			return Cadence.Mode.SUSPECT;
		}
		if (this.trouble.isOpen() || this.coverage.lastHadUncovered() || this.failuresInARow > 0) {
			return Cadence.Mode.DEGRADED;
		}
		return Cadence.Mode.STEADY;
	}

	private void look() {
		RedisClusterClient current = client();
		if (current == null) {
			return;
		}
		Partitions partitions = current.getPartitions();
		observe(partitions);
		ScheduledExecutorService executor = this.scheduler;
		this.suspectWatch.review(current, partitions, (executor != null) ? executor : Runnable::run);
		int uncovered = checkCoverage(partitions);
		detectShape(partitions);
		if (mode() == Cadence.Mode.STEADY) {
			// Calm again: the seed connection kept for this episode's seed reads goes, and the
			// next episode's first fallback refresh may run at once.
			this.seedReader.release();
			this.fallbackRefreshes.calm();
		}
		if (this.settings.heldConnectionReads() && !partitions.isEmpty()) {
			readHeld(current, partitions);
		}
		else if (this.trouble.isOpen() || uncovered > 0) {
			refresh(current, "degraded");
		}
	}

	/** Synchronized: the scheduler, Actuator threads and the lifecycle all ask for the client. */
	private synchronized @Nullable RedisClusterClient client() {
		RedisClusterClient current = this.client;
		if (current != null || this.scheduler == null) {
			return current;
		}
		current = this.clientSupplier.get();
		if (current != null) {
			this.subscription = current.getResources().eventBus().get().subscribe(this::onEvent);
			this.client = current;
		}
		return current;
	}

	/**
	 * A dropped connection shows as reconnect attempts. Deactivated connections alone are no sign
	 * of trouble: every full refresh opens and closes connections to all nodes, so counting them
	 * would keep the watcher degraded for ever.
	 */
	private void onEvent(Event event) {
		if (event instanceof ReconnectAttemptEvent || event instanceof ReconnectFailedEvent) {
			troubleSeen(TopologyCounters.Sign.RECONNECT);
		}
		else if (event instanceof AdaptiveRefreshTriggeredEvent) {
			troubleSeen(TopologyCounters.Sign.ADAPTIVE_TRIGGER);
		}
		else if (event instanceof ClusterTopologyChangedEvent) {
			// Lettuce applied a refresh of its own: it may have started before the view applied
			// last, so look again (see observe).
			lookIn(AFTER_LETTUCE_CHANGE);
		}
	}

	private void troubleSeen(TopologyCounters.Sign sign) {
		this.trouble.seen(sign);
		lookIn((sign == TopologyCounters.Sign.SUSPECT) ? Duration.ZERO : this.settings.degradedPeriod());
	}

	/**
	 * Reads the view of one node over a held connection and applies it if it differs.
	 */
	private void readHeld(RedisClusterClient current, Partitions partitions) {
		Instant now = this.clock.instant();
		this.failedSources.values().removeIf(now::isAfter);
		Set<String> suspects = new HashSet<>();
		this.suspectWatch.all().forEach((suspect) -> suspects.add(suspect.nodeId()));
		// A failed suspect's replicas, read in turn: the one promoted shows it first.
		suspects.addAll(this.suspectWatch.awaitingPromotion());
		// A read still waiting is not waited for: the next one asks another node.
		Set<String> excluded = new HashSet<>(this.failedSources.keySet());
		excluded.addAll(this.readsInFlight);
		String source = this.sourceChoice.next(partitions, suspects, excluded, this.lastAnswered);
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
		String trigger = (mode() == Cadence.Mode.STEADY) ? "periodic" : "degraded";
		Executor completion = completion();
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
				ReadStart start = new ReadStart(sequence, started, startNanos, trigger,
						TopologyCounters.Kind.HELD);
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
				refresh(current, "fallback");
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
						+ ((failure != null) ? ": " + describe(failure) : ": no node listed itself"));
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
		}, completion());
		return true;
	}

	private static @Nullable String ownNode(List<RedisClusterNode> view) {
		for (RedisClusterNode node : view) {
			if (node.is(RedisClusterNode.NodeFlag.MYSELF)) {
				return node.getNodeId();
			}
		}
		return null;
	}

	private void readFailed(String source, Throwable failure) {
		this.counters.read(TopologyCounters.Kind.HELD, TopologyCounters.Outcome.FAILED);
		this.failedSources.put(source, this.clock.instant().plus(this.settings.degradedPeriod().multipliedBy(4)));
		if (source.equals(this.lastAnswered)) {
			this.lastAnswered = null;
		}
		this.failuresInARow++;
		logger.debug("Topology read from node " + source + " failed: " + describe(failure));
		lookIn(this.settings.degradedPeriod());
	}

	private void readDone(RedisClusterClient current, ReadStart start, String source, List<RedisClusterNode> view) {
		TopologyCounters.Kind kind = start.kind();
		this.failuresInARow = 0;
		this.fallbackRefreshes.answered();
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
				logger.debug("Topology read from node " + source + " could not be applied: " + describe(failure));
				return;
			}
			if (sourceNode != null) {
				this.ordering.applied(start.sequence(), sourceNode);
			}
			this.counters.read(kind, TopologyCounters.Outcome.CHANGED);
			this.counters.applied();
			logger.debug("Topology read (" + kind.tag() + ") from node " + source + " applied: " + changes);
			TopologyRefresh refresh = new TopologyRefresh(start.at(),
					Duration.ofNanos(System.nanoTime() - start.nanos()), start.trigger(), null);
			this.lastRefresh = refresh;
			publish(new TopologyRefreshedEvent(refresh));
			Partitions applied = current.getPartitions();
			observe(applied);
			checkCoverage(applied);
		}, completion());
	}

	private Executor completion() {
		ScheduledExecutorService executor = this.scheduler;
		return (executor != null) ? executor : Runnable::run;
	}

	private boolean inTrouble() {
		return this.trouble.isOpen();
	}

	/**
	 * Publishes a {@link SlotCoverageChangedEvent} when coverage was lost or regained.
	 * @return how many slots have no node now (all of them before the first topology is read)
	 */
	private int checkCoverage(Partitions partitions) {
		return this.coverage.check(partitions, this.clock.instant(), (event) -> {
			if (event.everySlotCovered()) {
				logger.info("Every Redis Cluster slot has a node again");
			}
			else {
				logger.warn(event.uncoveredSlots() + " Redis Cluster slots have no node in the client's topology");
			}
			publish(event);
		});
	}

	private void refresh(RedisClusterClient current, String trigger) {
		Instant now = this.clock.instant();
		if (!this.refreshing.compareAndSet(false, true)) {
			if (Duration.between(this.refreshStarted, now).compareTo(REFRESH_GIVE_UP) < 0) {
				return;
			}
			logger.debug("Abandoning a topology refresh that did not finish within " + REFRESH_GIVE_UP);
		}
		this.refreshStarted = now;
		runRefresh(current, trigger).whenComplete((refresh, failure) -> this.refreshing.set(false));
	}

	/**
	 * Refreshes the topology now, with Lettuce's full refresh.
	 * @return the outcome, once the refresh ended; completes exceptionally when no cluster
	 * client is available (the connection factory is not started or not in cluster mode)
	 */
	public CompletableFuture<TopologyRefresh> refreshNow() {
		RedisClusterClient current = client();
		if (current == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("No Redis Cluster client is running"));
		}
		return runRefresh(current, "on-demand");
	}

	private CompletableFuture<TopologyRefresh> runRefresh(RedisClusterClient current, String trigger) {
		Instant started = this.clock.instant();
		long startNanos = System.nanoTime();
		List<RedisClusterNode> before = List.copyOf(current.getPartitions());
		// Completed on the watcher's own thread, not Lettuce's event loop: listeners of the events
		// published below may well call Redis.
		return current.refreshPartitionsAsync().toCompletableFuture().handleAsync((done, failure) -> {
			String error = (failure != null) ? describe(failure) : null;
			TopologyRefresh refresh = new TopologyRefresh(started, Duration.ofNanos(System.nanoTime() - startNanos),
					trigger, error);
			this.lastRefresh = refresh;
			publish(new TopologyRefreshedEvent(refresh));
			if (error != null) {
				this.counters.read(TopologyCounters.Kind.FULL, TopologyCounters.Outcome.FAILED);
				logger.debug("Topology refresh (" + trigger + ") failed: " + error);
			}
			else {
				Partitions after = current.getPartitions();
				this.counters.read(TopologyCounters.Kind.FULL, ViewComparison.compare(before, after).isEmpty()
						? TopologyCounters.Outcome.UNCHANGED : TopologyCounters.Outcome.CHANGED);
				this.failuresInARow = 0;
				this.fallbackRefreshes.answered();
				observe(after);
				if (this.settings.heldConnectionReads()) {
					// The refresh may have started before the view applied last: read a newer one.
					lookIn(Duration.ZERO);
				}
			}
			return refresh;
		}, completion());
	}

	/** A failing application listener must not break the watcher or the refresh it reports. */
	private void publish(Object event) {
		try {
			this.events.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("An application listener failed on " + event, ex);
		}
	}

	private static String describe(Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
		// "Unable to connect to ..." says where, the innermost cause says why (refused, TLS, DNS).
		Throwable root = cause;
		for (int depth = 0; depth < 10 && root.getCause() != null && root.getCause() != root; depth++) {
			root = root.getCause();
		}
		return (root == cause) ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

	/**
	 * The last refresh the starter ran: a full refresh, or a held-connection read that changed the
	 * client's view (Lettuce's own adaptive refreshes, and reads that found nothing new, are not
	 * seen here; see {@link #counters()}).
	 * @return the last refresh, if any ran
	 */
	public Optional<TopologyRefresh> lastRefresh() {
		return Optional.ofNullable(this.lastRefresh);
	}

	/**
	 * How often the topology was read, how, and what came of it.
	 * @return the counters, live
	 */
	public TopologyCounters counters() {
		return this.counters;
	}

	/**
	 * The most recent node address changes, oldest first.
	 * @return up to the last 50 changes
	 */
	public List<NodeAddressChangedEvent> recentAddressChanges() {
		return this.addressBook.recent();
	}

	/**
	 * Whether the client is in trouble now: connections dropping, reconnects or commands failing
	 * recently, or slots without a node in its topology.
	 * @return {@code true} while the starter reads the topology every degraded period
	 */
	public boolean isDegraded() {
		RedisClusterClient current = this.client;
		return current != null && (inTrouble() || SlotCoverage.uncovered(current.getPartitions()) > 0);
	}

	/**
	 * The cluster client being watched.
	 * @return the client, or {@code null} before the connection factory started or when it is
	 * not in cluster mode
	 */
	public @Nullable RedisClusterClient clusterClient() {
		return client();
	}

	private void detectShape(Partitions partitions) {
		if (this.deploymentShape != null || partitions.isEmpty()) {
			return;
		}
		DeploymentShape shape = this.shapeDetector.detect(partitions);
		this.deploymentShape = shape;
		logger.info("Redis Cluster deployment: " + shape.describe());
		if (shape.seeds() == DeploymentShape.Seeds.STATIC_ADDRESSES) {
			logger.warn("spring.data.redis.cluster.nodes lists IP addresses: once every pod has moved, no seed "
					+ "leads back to the cluster; use a stable name such as the headless Service");
		}
	}

	/**
	 * How the cluster is deployed, as read from the seeds and the first topology the client saw.
	 * @return the shape, once a topology was read
	 */
	public Optional<DeploymentShape> deploymentShape() {
		return Optional.ofNullable(this.deploymentShape);
	}

	/**
	 * The masters currently suspect: not answering while the client's topology still lists them
	 * as masters.
	 * @return the suspect nodes, in the order they were suspected
	 */
	public List<SuspectNode> suspectNodes() {
		return this.suspectWatch.all();
	}

	/**
	 * Reports that a node did not answer within a bounded time (a probe's PING, say): a master of
	 * the client's topology becomes suspect, unless what timed out was sent before the view last
	 * moved a node or promoted a replica: a probe that PINGed a node at the address it has just
	 * left would make the master suspect at its new address, where it answers.
	 * @param nodeId the node ID
	 * @param cause what timed out
	 * @param reason what was seen, for people
	 * @param sentNanos when what timed out was sent, as {@link System#nanoTime()}
	 */
	public void reportTimeout(String nodeId, SuspectNode.Cause cause, String reason, long sentNanos) {
		RedisClusterClient current = this.client;
		if (current != null && sentNanos - this.routing.sinceNanos() >= 0) {
			this.suspectWatch.timedOut(current.getPartitions(), nodeId, cause, reason);
		}
	}

	/**
	 * Reports that a node answered: it is no longer suspect.
	 * @param nodeId the node ID
	 */
	public void reportAnswer(String nodeId) {
		this.suspectWatch.answered(nodeId);
	}

	/**
	 * Published on the connection's event loop: the node is looked up, and a host name perhaps
	 * resolved, on the watcher's own thread.
	 */
	@EventListener
	void onUnansweredConnectionClosed(UnansweredConnectionClosedEvent event) {
		ScheduledExecutorService executor = this.scheduler;
		RedisClusterClient current = this.client;
		if (executor == null || current == null) {
			return;
		}
		executor.execute(() -> {
			try {
				this.suspectWatch.connectionUnanswered(current.getPartitions(), event);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not tell which node " + event.remoteAddress() + " is", ex);
			}
		});
	}

	/**
	 * When the view last moved a node or promoted a replica: a command timeout of a command sent
	 * before it is an echo.
	 * @return the time, in {@link System#nanoTime()}'s terms
	 */
	long routingSinceNanos() {
		return this.routing.sinceNanos();
	}

	/**
	 * A command timeout is the sign of a frozen or overloaded node that the connection itself
	 * does not give: its connections stay open and the kernel keeps acknowledging what is sent to
	 * it. The command retry's sweep reports its first attempts' timeouts, on the connection's
	 * event loop. (A command listener would see them too, but only on connections opened after it
	 * was added, and it makes Lettuce wrap every command and allocate two events for it.) With the
	 * retry off, a frozen node is seen by the unanswered-connection closer instead.
	 */
	@EventListener
	void onAttemptsTimedOut(AttemptsTimedOutEvent event) {
		if (this.client != null && event.newestSentNanos() - this.routing.sinceNanos() >= 0) {
			troubleSeen(TopologyCounters.Sign.COMMAND_TIMEOUT);
		}
	}

	/**
	 * Looks at the view the client routes by now, whoever applied it: publishes the moves, and
	 * when a full refresh put a node back on an address it had left, reads a newer view at once.
	 * Watcher's thread only.
	 */
	private void observe(Partitions partitions) {
		List<String> regressed = this.ordering.observe(partitions, this.clock.instant());
		// The same regression is reported on every look until a newer view is applied or the
		// address memory runs out: read again at once only when it is new, or the watcher would
		// spin; otherwise the next read comes at the usual cadence.
		if (!regressed.isEmpty() && !regressed.equals(this.lastRegressed)) {
			this.counters.regression();
			logger.debug("A topology refresh put nodes " + regressed + " back on addresses they left; reading again");
			lookIn(Duration.ZERO);
		}
		this.lastRegressed = regressed;
		Map<String, String> addresses = new LinkedHashMap<>();
		for (RedisClusterNode node : partitions) {
			RedisURI uri = node.getUri();
			if (node.getNodeId() != null && uri != null && !regressed.contains(node.getNodeId())) {
				addresses.put(node.getNodeId(), uri.getHost() + ":" + uri.getPort());
			}
		}
		List<NodeAddressChangedEvent> changes = this.addressBook.update(addresses, this.clock.instant());
		if (!changes.isEmpty()) {
			this.routing = new Routing(System.nanoTime());
		}
		for (NodeAddressChangedEvent change : changes) {
			logger.info("Redis Cluster node " + change.nodeId() + " moved from " + change.previousAddress() + " to "
					+ change.currentAddress());
			publish(change);
		}
		for (Promotions.Promotion promotion : this.promotions.update(partitions)) {
			this.routing = new Routing(System.nanoTime());
			logger.info(promotion.describe());
		}
	}

	/**
	 * The routing commands are sent by: since when the view's addresses and masters are what
	 * they are.
	 *
	 * @param sinceNanos when the view last moved a node or promoted a replica, in
	 * {@link System#nanoTime()}'s terms
	 */
	private record Routing(long sinceNanos) {

	}

	/**
	 * When a held-connection read began, and why.
	 */
	private record ReadStart(long sequence, Instant at, long nanos, String trigger, TopologyCounters.Kind kind) {

	}

	/**
	 * How the watcher reads the topology.
	 *
	 * @param period the time between two reads while all is well
	 * @param degradedPeriod the time between two reads while the client is in trouble
	 * @param suspectPeriod the time between two reads while a master is suspect
	 * @param heldConnectionReads whether reads go over a held connection; if not, the watcher
	 * runs Lettuce's full refresh every degraded period while in trouble, and Lettuce's periodic
	 * refresh does the rest
	 */
	record Settings(Duration period, Duration degradedPeriod, Duration suspectPeriod, boolean heldConnectionReads) {

	}

}
