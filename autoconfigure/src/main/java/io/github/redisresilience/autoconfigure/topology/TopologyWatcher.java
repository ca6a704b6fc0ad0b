package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.cluster.AdaptiveRefreshTriggeredEvent;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
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

import io.github.redisresilience.autoconfigure.connection.UnansweredConnectionClosedEvent;

/**
 * Watches the cluster topology of the application's {@link RedisClusterClient}.
 * <p>
 * While the client is in trouble (connections reconnecting, commands timing out,
 * Lettuce asking for an adaptive refresh, or slots without a node), it refreshes the topology every
 * {@code redis.resilience.topology.refresh.degraded-period} instead of waiting for the periodic
 * refresh: when every pod moves, Lettuce falls back to the seeds only once every known node has
 * failed, and the cluster heals over several seconds, so a single refresh usually sees a
 * half-healed view. After each look it compares node addresses by node ID and publishes a
 * {@link NodeAddressChangedEvent} for each node that moved, which Lettuce does not.
 * <p>
 * It also keeps what operators need to see (the last refresh it ran, recent address changes,
 * suspect nodes) and refreshes on demand.
 * <p>
 * A master is <em>suspect</em> when it stops answering while the client's topology still lists
 * it as a master (see {@link SuspectWatch}): the window in which a frozen master holds its slots
 * before its replica is promoted. Suspects are reviewed, and PINGed, every period; each change is
 * published as a {@link NodeSuspectedEvent} or {@link NodeSuspicionClearedEvent}.
 */
public final class TopologyWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	/** How many address changes {@link #recentAddressChanges()} keeps. */
	private static final int RECENT_CHANGES = 50;

	/** A refresh that has not finished by then is abandoned; Lettuce bounds it by its connect timeout. */
	private static final Duration REFRESH_GIVE_UP = Duration.ofSeconds(30);

	private final Supplier<@Nullable RedisClusterClient> clientSupplier;

	private final ApplicationEventPublisher events;

	private final Duration period;

	private final Duration troubleWindow;

	private final Clock clock;

	private final int phase;

	private final AddressBook addressBook = new AddressBook();

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private volatile Instant refreshStarted = Instant.MIN;

	private volatile Instant troubleUntil = Instant.MIN;

	private volatile @Nullable TopologyRefresh lastRefresh;

	private final DeploymentShapeDetector shapeDetector;

	private volatile @Nullable DeploymentShape deploymentShape;

	private volatile @Nullable Integer lastUncoveredSlots;

	private final Deque<NodeAddressChangedEvent> recentChanges = new ArrayDeque<>();

	private final SuspectWatch suspectWatch;

	private volatile @Nullable RedisClusterClient client;

	private volatile @Nullable Disposable subscription;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * A command timeout is the only sign of a frozen node: its connections stay open and the
	 * kernel keeps acknowledging what is sent to it, so Lettuce sees no disconnect.
	 */
	private final CommandListener timeoutListener = new CommandListener() {

		@Override
		public void commandFailed(CommandFailedEvent event) {
			if (event.getCause() instanceof RedisCommandTimeoutException) {
				troubleSeen();
			}
		}

	};

	TopologyWatcher(Supplier<@Nullable RedisClusterClient> clientSupplier, ApplicationEventPublisher events,
			Duration period, Clock clock, int phase, DeploymentShapeDetector shapeDetector,
			Function<HostAndPort, HostAndPort> dialling) {
		this.clientSupplier = clientSupplier;
		this.events = events;
		this.period = period;
		// Reconnect storms come in bursts a few backoff steps apart: stay watchful for ten periods.
		this.troubleWindow = period.multipliedBy(10);
		this.clock = clock;
		this.phase = phase;
		this.shapeDetector = shapeDetector;
		this.suspectWatch = new SuspectWatch(dialling, clock, this::publish, this::troubleSeen);
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-resilience-topology");
			thread.setDaemon(true);
			return thread;
		});
		long periodMillis = this.period.toMillis();
		this.scheduler = executor;
		// Take hold of the client now, before the application opens its first connection: a
		// command listener only reaches connections opened after it was added.
		client();
		executor.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		Disposable current = this.subscription;
		if (current != null) {
			current.dispose();
		}
		RedisClusterClient watched = this.client;
		if (watched != null) {
			watched.removeListener(this.timeoutListener);
		}
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.scheduler = null;
		this.client = null;
		this.suspectWatch.close();
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	void tick() {
		try {
			RedisClusterClient current = client();
			if (current == null) {
				return;
			}
			Partitions partitions = current.getPartitions();
			record(partitions);
			ScheduledExecutorService executor = this.scheduler;
			this.suspectWatch.review(current, partitions, (executor != null) ? executor : Runnable::run);
			int uncovered = checkCoverage(partitions);
			detectShape(partitions);
			if (inTrouble() || uncovered > 0) {
				refresh(current);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Topology check failed", ex);
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
			current.addListener(this.timeoutListener);
			this.client = current;
		}
		return current;
	}

	/**
	 * A dropped connection shows as reconnect attempts. Deactivated connections alone are no sign
	 * of trouble: every topology refresh opens and closes connections to all nodes, so counting
	 * them would keep the watcher refreshing for ever.
	 */
	private void onEvent(Event event) {
		if (event instanceof ReconnectAttemptEvent || event instanceof ReconnectFailedEvent
				|| event instanceof AdaptiveRefreshTriggeredEvent) {
			troubleSeen();
		}
	}

	private void troubleSeen() {
		this.troubleUntil = this.clock.instant().plus(this.troubleWindow);
	}

	private boolean inTrouble() {
		return this.clock.instant().isBefore(this.troubleUntil);
	}

	private static int uncoveredSlots(Partitions partitions) {
		int uncovered = 0;
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
			if (partitions.getPartitionBySlot(slot) == null) {
				uncovered++;
			}
		}
		return uncovered;
	}

	/**
	 * Publishes a {@link SlotCoverageChangedEvent} when coverage was lost or regained.
	 * @return how many slots have no node now (all of them before the first topology is read)
	 */
	private int checkCoverage(Partitions partitions) {
		if (partitions.isEmpty()) {
			return SlotHash.SLOT_COUNT;
		}
		int uncovered = uncoveredSlots(partitions);
		Integer previous = this.lastUncoveredSlots;
		this.lastUncoveredSlots = uncovered;
		if (previous == null ? uncovered == 0 : (previous == 0) == (uncovered == 0)) {
			return uncovered;
		}
		if (uncovered == 0) {
			logger.info("Every Redis Cluster slot has a node again");
		}
		else {
			logger.warn(uncovered + " Redis Cluster slots have no node in the client's topology");
		}
		publish(new SlotCoverageChangedEvent(uncovered, this.clock.instant()));
		return uncovered;
	}

	private void refresh(RedisClusterClient current) {
		Instant now = this.clock.instant();
		if (!this.refreshing.compareAndSet(false, true)) {
			if (Duration.between(this.refreshStarted, now).compareTo(REFRESH_GIVE_UP) < 0) {
				return;
			}
			logger.debug("Abandoning a topology refresh that did not finish within " + REFRESH_GIVE_UP);
		}
		this.refreshStarted = now;
		runRefresh(current, "degraded").whenComplete((refresh, failure) -> this.refreshing.set(false));
	}

	/**
	 * Refreshes the topology now.
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
		// Completed on the watcher's own thread, not Lettuce's event loop: listeners of the events
		// published below may well call Redis.
		ScheduledExecutorService executor = this.scheduler;
		Executor completion = (executor != null) ? executor : Runnable::run;
		return current.refreshPartitionsAsync().toCompletableFuture().handleAsync((done, failure) -> {
			String error = (failure != null) ? describe(failure) : null;
			TopologyRefresh refresh = new TopologyRefresh(started, Duration.ofNanos(System.nanoTime() - startNanos),
					trigger, error);
			this.lastRefresh = refresh;
			publish(new TopologyRefreshedEvent(refresh));
			if (error != null) {
				logger.debug("Topology refresh (" + trigger + ") failed: " + error);
			}
			else {
				record(current.getPartitions());
			}
			return refresh;
		}, completion);
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
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	/**
	 * The last refresh the starter ran (Lettuce's own periodic and adaptive refreshes are not
	 * seen here).
	 * @return the last refresh, if any ran
	 */
	public Optional<TopologyRefresh> lastRefresh() {
		return Optional.ofNullable(this.lastRefresh);
	}

	/**
	 * The most recent node address changes, oldest first.
	 * @return up to the last 50 changes
	 */
	public List<NodeAddressChangedEvent> recentAddressChanges() {
		synchronized (this.recentChanges) {
			return List.copyOf(this.recentChanges);
		}
	}

	/**
	 * Whether the client is in trouble now: connections dropping, reconnects or commands failing
	 * recently, or slots without a node in its topology.
	 * @return {@code true} while the starter refreshes the topology every degraded period
	 */
	public boolean isDegraded() {
		RedisClusterClient current = this.client;
		return current != null && (inTrouble() || uncoveredSlots(current.getPartitions()) > 0);
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
	 * the client's topology becomes suspect.
	 * @param nodeId the node ID
	 * @param cause what timed out
	 * @param reason what was seen, for people
	 */
	public void reportTimeout(String nodeId, SuspectNode.Cause cause, String reason) {
		RedisClusterClient current = this.client;
		if (current != null) {
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

	private void record(Partitions partitions) {
		Map<String, String> addresses = new LinkedHashMap<>();
		for (RedisClusterNode node : partitions) {
			RedisURI uri = node.getUri();
			if (node.getNodeId() != null && uri != null) {
				addresses.put(node.getNodeId(), uri.getHost() + ":" + uri.getPort());
			}
		}
		List<NodeAddressChangedEvent> changes = this.addressBook.update(addresses, this.clock.instant());
		for (NodeAddressChangedEvent change : changes) {
			synchronized (this.recentChanges) {
				if (this.recentChanges.size() == RECENT_CHANGES) {
					this.recentChanges.removeFirst();
				}
				this.recentChanges.addLast(change);
			}
			logger.info("Redis Cluster node " + change.nodeId() + " moved from " + change.previousAddress() + " to "
					+ change.currentAddress());
			publish(change);
		}
	}

}
