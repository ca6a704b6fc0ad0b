package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.TopologyRefreshEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.cluster.AdaptiveRefreshTriggeredEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

import io.github.redisresilience.autoconfigure.client.EventBusSubscription;
import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.autoconfigure.topology.NodeAddressChangedEvent;
import io.github.redisresilience.autoconfigure.suspect.NodeSuspectedEvent;
import io.github.redisresilience.autoconfigure.suspect.SuspectNode;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.TopologyCounters;
import io.github.redisresilience.autoconfigure.topology.TopologyRefresh;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Micrometer meters for the cluster client: counters bridged from Lettuce's event bus and the
 * starter's own events, gauges read from the client's topology and from the last health probe
 * (never a probe per scrape).
 * <p>
 * The watcher tells about its refreshes only through {@link TopologyWatcher#lastRefresh()}, so
 * refreshes are counted by looking at it every {@value #POLL_MILLIS} ms; two refreshes closer
 * together than that count once.
 * <p>
 * One binder for every meter the starter publishes, although that makes it longer than the
 * starter's other classes: the meter names, their tags and the events they follow stay side by
 * side, as the alert rules and the dashboard read them.
 */
final class RedisResilienceMetrics implements MeterBinder, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisResilienceMetrics.class);

	private static final long POLL_MILLIS = 250;

	private static final String ADDRESS_CHANGES = "redis.resilience.node.address.changes";

	private static final String RECONNECT_ATTEMPTS = "redis.resilience.reconnect.attempts";

	private static final String RECONNECT_FAILURES = "redis.resilience.reconnect.failures";

	private static final String TOPOLOGY_READS = "redis.resilience.topology.reads";

	private static final String REFRESHES = "redis.resilience.topology.refreshes";

	private static final String ADAPTIVE_TRIGGERS = "redis.resilience.topology.adaptive.triggers";

	private static final String UNANSWERED_CLOSES = "redis.resilience.connections.unanswered";

	private static final String SUSPICIONS = "redis.resilience.nodes.suspicions";

	/** Counters without tags, registered up front so that dashboards see a zero rather than no series. */
	private static final List<String> UNTAGGED = List.of(ADDRESS_CHANGES, RECONNECT_ATTEMPTS, RECONNECT_FAILURES,
			TOPOLOGY_READS, UNANSWERED_CLOSES);

	private static final Map<String, String> DESCRIPTIONS = Map.of(ADDRESS_CHANGES,
			"Cluster nodes seen at a new address", RECONNECT_ATTEMPTS, "Reconnect attempts to cluster nodes",
			RECONNECT_FAILURES, "Reconnect attempts that failed", TOPOLOGY_READS,
			"Times Lettuce read the cluster topology (periodic, adaptive or the starter's refreshes)", REFRESHES,
			"Topology refreshes the starter ran", ADAPTIVE_TRIGGERS, "Adaptive topology refreshes Lettuce triggered",
			UNANSWERED_CLOSES, "Connections closed because a node stopped answering while they stayed open",
			SUSPICIONS, "Masters that became suspect: not answering while the topology still listed them as masters");

	private final TopologyWatcher watcher;

	private final SuspectWatch suspects;

	private final ClusterProbe probe;

	private final Clock clock;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private volatile @Nullable TopologyRefresh countedRefresh;

	private volatile @Nullable RedisClusterClient subscribedClient;

	private volatile @Nullable EventBusSubscription subscription;

	private volatile @Nullable ScheduledExecutorService poller;

	/** Guards the subscription against a poll that runs while the metrics stop. */
	private final Object subscribing = new Object();

	RedisResilienceMetrics(TopologyWatcher watcher, SuspectWatch suspects, ClusterProbe probe, Clock clock) {
		this.watcher = watcher;
		this.suspects = suspects;
		this.probe = probe;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		UNTAGGED.forEach((name) -> counter(registry, name, Tags.empty()));
		for (SuspectNode.Cause cause : SuspectNode.Cause.values()) {
			counter(registry, SUSPICIONS, Tags.of("cause", cause.tag()));
		}
		gauge(registry, "redis.resilience.nodes.suspect",
				"Masters suspect now: not answering while the topology still lists them as masters", Tags.empty(),
				(metrics) -> metrics.suspects.all().size());
		for (String role : List.of("master", "replica")) {
			boolean master = role.equals("master");
			gauge(registry, "redis.resilience.nodes", "Nodes in the client's topology view", Tags.of("role", role),
					(metrics) -> metrics.knownNodes(master));
			gauge(registry, "redis.resilience.nodes.unreachable", "Nodes that did not answer the last health probe",
					Tags.of("role", role), (metrics) -> metrics.unreachableNodes(master));
		}
		gauge(registry, "redis.resilience.slots.uncovered",
				"Slots no reachable master served at the last health probe", Tags.empty(),
				RedisResilienceMetrics::uncoveredSlots);
		bindTopologyCounters(registry, this.watcher.counters());
		Gauge.builder("redis.resilience.topology.refresh.age", this, RedisResilienceMetrics::secondsSinceRefresh)
			.description("Time since the last topology refresh the starter ran ended")
			.baseUnit("seconds")
			.register(registry);
	}

	/** Read from the watcher's own counters when scraped: nothing to keep in step. */
	private static void bindTopologyCounters(MeterRegistry registry, TopologyCounters counters) {
		for (TopologyCounters.Kind kind : TopologyCounters.Kind.values()) {
			for (TopologyCounters.Outcome outcome : TopologyCounters.Outcome.values()) {
				FunctionCounter.builder("redis.resilience.topology.lookups", counters, (c) -> c.reads(kind, outcome))
					.description("Topology reads the starter made: over a held connection, a new one to a seed, "
							+ "or Lettuce's full refresh")
					.tags("kind", kind.tag(), "outcome", outcome.tag())
					.register(registry);
			}
		}
		FunctionCounter.builder("redis.resilience.topology.changes.applied", counters, TopologyCounters::appliedChanges)
			.description("Topology views applied because they differed from the client's")
			.register(registry);
		FunctionCounter.builder("redis.resilience.topology.regressions", counters, TopologyCounters::regressions)
			.description("Full refreshes that put a node back on an address it had left, followed by a newer read")
			.register(registry);
		for (TopologyCounters.Sign sign : TopologyCounters.Sign.values()) {
			FunctionCounter.builder("redis.resilience.topology.trouble.signs", counters, (c) -> c.signs(sign))
				.description("Signs of trouble that kept the starter reading every degraded period")
				.tags("sign", sign.tag())
				.register(registry);
		}
	}

	private void gauge(MeterRegistry registry, String name, String description, Tags tags,
			ToDoubleFunction<RedisResilienceMetrics> value) {
		Gauge.builder(name, this, value).description(description).tags(tags).register(registry);
	}

	private double knownNodes(boolean master) {
		RedisClusterClient client = this.watcher.clusterClient();
		if (client == null) {
			return Double.NaN;
		}
		try {
			int count = 0;
			for (RedisClusterNode node : client.getPartitions()) {
				if (node.getRole().isUpstream() == master) {
					count++;
				}
			}
			return count;
		}
		catch (RuntimeException ex) {
			// The client has not read a topology yet and could not now.
			return Double.NaN;
		}
	}

	private double unreachableNodes(boolean master) {
		return this.probe.lastSnapshot()
			.filter((snapshot) -> snapshot.problem() == null)
			.map((snapshot) -> (double) snapshot.countUnreachable(master))
			.orElse(Double.NaN);
	}

	private double uncoveredSlots() {
		return this.probe.lastSnapshot()
			.filter((snapshot) -> snapshot.problem() == null)
			.map((snapshot) -> (double) snapshot.uncoveredSlots().cardinality())
			.orElse(Double.NaN);
	}

	private double secondsSinceRefresh() {
		return this.watcher.lastRefresh()
			.map((refresh) -> Duration.between(refresh.startedAt().plus(refresh.took()), this.clock.instant()))
			.map((age) -> age.toMillis() / 1000.0)
			.orElse(Double.NaN);
	}

	@EventListener
	void onAddressChanged(NodeAddressChangedEvent event) {
		count(ADDRESS_CHANGES, Tags.empty());
	}

	@EventListener
	void onNodeSuspected(NodeSuspectedEvent event) {
		count(SUSPICIONS, Tags.of("cause", event.suspect().cause().tag()));
	}

	@EventListener
	void onUnansweredConnectionClosed(UnansweredConnectionClosedEvent event) {
		count(UNANSWERED_CLOSES, Tags.empty());
	}

	private void onLettuceEvent(Event event) {
		if (event instanceof ReconnectAttemptEvent) {
			count(RECONNECT_ATTEMPTS, Tags.empty());
		}
		else if (event instanceof ReconnectFailedEvent) {
			count(RECONNECT_FAILURES, Tags.empty());
		}
		else if (event instanceof TopologyRefreshEvent) {
			count(TOPOLOGY_READS, Tags.empty());
		}
		else if (event instanceof AdaptiveRefreshTriggeredEvent adaptive) {
			count(ADAPTIVE_TRIGGERS,
					Tags.of("trigger", adaptive.getRefreshTrigger().name().toLowerCase(Locale.ROOT).replace('_', '-')));
		}
	}

	private void count(String name, Tags tags) {
		for (MeterRegistry registry : this.registries) {
			counter(registry, name, tags).increment();
		}
	}

	private static Counter counter(MeterRegistry registry, String name, Tags tags) {
		return Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(tags).register(registry);
	}

	void poll() {
		try {
			subscribe();
			countRefresh();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not update the Redis resilience metrics", ex);
		}
	}

	private void subscribe() {
		RedisClusterClient client = this.watcher.clusterClient();
		synchronized (this.subscribing) {
			// A poll still running when the metrics stopped must not subscribe again: the new
			// subscription would count events for metrics that have stopped.
			if (this.poller == null || client == null || client == this.subscribedClient) {
				return;
			}
			dispose();
			this.subscription = EventBusSubscription.listen(client.getResources().eventBus(), this::onLettuceEvent);
			this.subscribedClient = client;
		}
	}

	/**
	 * Whether the metrics follow Lettuce's events now.
	 * @return {@code true} while subscribed to the client's event bus
	 */
	boolean isSubscribed() {
		return this.subscription != null;
	}

	private void countRefresh() {
		TopologyRefresh refresh = this.watcher.lastRefresh().orElse(null);
		if (refresh == null || refresh == this.countedRefresh) {
			return;
		}
		this.countedRefresh = refresh;
		count(REFRESHES,
				Tags.of("trigger", refresh.trigger(), "outcome", RefreshDetails.outcome(refresh)));
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-resilience-metrics");
			thread.setDaemon(true);
			return thread;
		});
		this.poller = executor;
		poll();
		executor.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this.subscribing) {
			executor = this.poller;
			this.poller = null;
			dispose();
		}
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	private void dispose() {
		EventBusSubscription current = this.subscription;
		if (current != null) {
			current.stop();
		}
		this.subscription = null;
		this.subscribedClient = null;
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

	@Override
	public int getPhase() {
		// Once the watcher runs, and so the connection factory has created the client.
		return this.watcher.getPhase() + 1;
	}

}
