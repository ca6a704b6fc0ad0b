package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.cluster.AdaptiveRefreshTriggeredEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

import io.github.redisresilience.autoconfigure.client.EventBusSubscription;
import io.github.redisresilience.autoconfigure.retry.AttemptsTimedOutEvent;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.suspect.WatchedCluster;

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
 * {@link NodeAddressChangedEvent} for each node that moved, which Lettuce does not (see
 * {@link ViewObserver}). It also keeps what operators need to see (the last full refresh, recent
 * address changes, {@link TopologyCounters}) and refreshes on demand.
 * <p>
 * A master is <em>suspect</em> when it stops answering while the client's topology still lists
 * it as a master (see {@link SuspectWatch}, which the watcher follows): the window in which a
 * frozen master holds its slots before its replica is promoted. Suspects are reviewed, and
 * PINGed, on every look, and their replicas are read first at the suspect cadence.
 * <p>
 * The watcher itself keeps its lifecycle, its hold on the client and its event bus, the signs of
 * trouble and the mode they put it in; its other jobs are classes of their own:
 * {@link LookSchedule}, {@link ViewReads}, {@link FullRefreshes} and {@link ViewObserver}. What
 * length remains beyond 300 lines is the documented read surface that Actuator, the sample and
 * the benchmarks use, and the link the suspect watch reads ({@link WatchedCluster}).
 */
public final class TopologyWatcher implements SmartLifecycle {

	/**
	 * Lettuce publishes its topology change before it applies it: look shortly after.
	 */
	private static final Duration AFTER_LETTUCE_CHANGE = Duration.ofMillis(20);

	private final Supplier<@Nullable RedisClusterClient> clientSupplier;

	private final Settings settings;

	private final int phase;

	private final TopologyCounters counters = new TopologyCounters();

	private final TroubleWindow trouble;

	private final Cadence cadence;

	private final LookSchedule schedule;

	private final ViewObserver observer;

	private final ViewReads reads;

	private final FullRefreshes refreshes;

	private final SuspectWatch suspectWatch;

	private volatile @Nullable RedisClusterClient client;

	private volatile @Nullable EventBusSubscription subscription;

	TopologyWatcher(Supplier<@Nullable RedisClusterClient> clientSupplier, ApplicationEventPublisher events,
			Settings settings, Clock clock, int phase, DeploymentShapeDetector shapeDetector,
			SuspectWatch suspectWatch, Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> applicationConnection) {
		this.clientSupplier = clientSupplier;
		this.settings = settings;
		// Reconnects come in bursts a few backoff steps apart (at most 1 s by default): three
		// degraded periods bridge them, and the client is back to the period 1.5 s after the last.
		this.trouble = new TroubleWindow(settings.degradedPeriod().multipliedBy(3), clock, this.counters);
		this.cadence = new Cadence(settings.period(), settings.degradedPeriod(), settings.suspectPeriod(),
				() -> ThreadLocalRandom.current().nextDouble());
		this.phase = phase;
		this.schedule = new LookSchedule(this::look, this::nextDelay);
		ViewOrdering ordering = new ViewOrdering();
		this.observer = new ViewObserver(events, clock, this.counters, ordering, shapeDetector, this.schedule::lookIn);
		this.reads = new ViewReads(clock, settings.period(), settings.degradedPeriod(), this.counters, ordering,
				this.observer, this.schedule, this::mode, new SeedReader(shapeDetector.seeds(), ViewReads.READ_TIMEOUT),
				applicationConnection, this::fallbackRefresh);
		this.refreshes = new FullRefreshes(clock, this.counters, this.observer, this.schedule::completion,
				this.reads::answered, this.schedule::lookIn, settings.heldConnectionReads());
		this.suspectWatch = suspectWatch;
		suspectWatch.watch(new Watched());
	}

	@Override
	public void start() {
		this.schedule.start();
		this.reads.restart();
		// Take hold of the client now, before the application opens its first connection: a
		// command listener only reaches connections opened after it was added.
		client();
		this.schedule.lookIn(this.settings.degradedPeriod());
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		EventBusSubscription current;
		synchronized (this) {
			executor = this.schedule.halt();
			current = this.subscription;
			this.client = null;
			this.subscription = null;
		}
		if (current != null) {
			current.stop();
		}
		this.schedule.end(executor);
		this.suspectWatch.close();
		this.reads.stop();
	}

	@Override
	public boolean isRunning() {
		return this.schedule.isRunning();
	}

	@Override
	public int getPhase() {
		return this.phase;
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
		if (this.trouble.isOpen() || this.observer.lastHadUncovered() || this.reads.failing()) {
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
		this.observer.observe(partitions);
		this.suspectWatch.review(current, partitions, this.schedule.completion());
		int uncovered = this.observer.checkCoverage(partitions);
		this.observer.detectShape(partitions);
		if (mode() == Cadence.Mode.STEADY) {
			this.reads.calm();
		}
		if (this.settings.heldConnectionReads() && !partitions.isEmpty()) {
			this.reads.readHeld(current, partitions, readFirst());
		}
		else if (this.trouble.isOpen() || uncovered > 0) {
			this.refreshes.refresh(current, "degraded");
		}
	}

	private void fallbackRefresh(RedisClusterClient current) {
		this.refreshes.refresh(current, "fallback");
	}

	/** Suspect masters, and failed ones awaiting their replica's promotion: their replicas are read in turn. */
	private Set<String> readFirst() {
		Set<String> suspects = new HashSet<>();
		this.suspectWatch.all().forEach((suspect) -> suspects.add(suspect.nodeId()));
		suspects.addAll(this.suspectWatch.awaitingPromotion());
		return suspects;
	}

	/** Synchronized: the scheduler, Actuator threads and the lifecycle all ask for the client. */
	private synchronized @Nullable RedisClusterClient client() {
		RedisClusterClient current = this.client;
		if (current != null || !this.schedule.isRunning()) {
			return current;
		}
		current = this.clientSupplier.get();
		if (current != null) {
			this.subscription = EventBusSubscription.listen(current.getResources().eventBus(), this::onEvent);
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
			// last, so look again (see ViewObserver#observe).
			this.schedule.lookIn(AFTER_LETTUCE_CHANGE);
		}
	}

	private void troubleSeen(TopologyCounters.Sign sign) {
		this.trouble.seen(sign);
		this.schedule.lookIn((sign == TopologyCounters.Sign.SUSPECT) ? Duration.ZERO : this.settings.degradedPeriod());
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
		return this.refreshes.run(current, "on-demand");
	}

	/**
	 * The last refresh the starter ran: a full refresh, or a held-connection read that changed the
	 * client's view (Lettuce's own adaptive refreshes, and reads that found nothing new, are not
	 * seen here; see {@link #counters()}).
	 * @return the last refresh, if any ran
	 */
	public Optional<TopologyRefresh> lastRefresh() {
		return this.observer.lastRefresh();
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
		return this.observer.recentAddressChanges();
	}

	/**
	 * Whether the client is in trouble now: connections dropping, reconnects or commands failing
	 * recently, or slots without a node in its topology.
	 * @return {@code true} while the starter reads the topology every degraded period
	 */
	public boolean isDegraded() {
		RedisClusterClient current = this.client;
		return current != null && (this.trouble.isOpen() || SlotCoverage.uncovered(current.getPartitions()) > 0);
	}

	/**
	 * The cluster client being watched.
	 * @return the client, or {@code null} before the connection factory started or when it is
	 * not in cluster mode
	 */
	public @Nullable RedisClusterClient clusterClient() {
		return client();
	}

	/**
	 * How the cluster is deployed, as read from the seeds and the first topology the client saw.
	 * @return the shape, once a topology was read
	 */
	public Optional<DeploymentShape> deploymentShape() {
		return this.observer.deploymentShape();
	}

	/**
	 * When the view last moved a node or promoted a replica: a command timeout of a command sent
	 * before it is an echo.
	 * @return the time, in {@link System#nanoTime()}'s terms
	 */
	long routingSinceNanos() {
		return this.observer.routingSinceNanos();
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
		if (this.client != null && event.newestSentNanos() - this.observer.routingSinceNanos() >= 0) {
			troubleSeen(TopologyCounters.Sign.COMMAND_TIMEOUT);
		}
	}

	/**
	 * What the suspect watch reads of the watcher: live, so that it does nothing while the
	 * watcher is stopped.
	 */
	private final class Watched implements WatchedCluster {

		@Override
		public @Nullable RedisClusterClient client() {
			return TopologyWatcher.this.client;
		}

		@Override
		public long routingSinceNanos() {
			return TopologyWatcher.this.observer.routingSinceNanos();
		}

		@Override
		public @Nullable Executor executor() {
			return TopologyWatcher.this.schedule.executor();
		}

		@Override
		public void suspected() {
			troubleSeen(TopologyCounters.Sign.SUSPECT);
		}

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
