package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Looks at the view the client routes by, whoever applied it, and tells what it sees: nodes that
 * moved ({@link NodeAddressChangedEvent}), replicas promoted, slots without a node
 * ({@link SlotCoverageChangedEvent}), the deployment shape once, and the refreshes the watcher
 * ran ({@link TopologyRefreshedEvent}). It keeps the routing epoch: since when the view's addresses
 * and masters are what they are. A failing application listener breaks none of this.
 */
final class ViewObserver {

	/** Logs as the watcher did before it was split, so that log settings keep their meaning. */
	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final TopologyCounters counters;

	/** Confined to the watcher's thread. */
	private final ViewOrdering ordering;

	private final DeploymentShapeDetector shapeDetector;

	private final Consumer<Duration> lookIn;

	private final AddressBook addressBook = new AddressBook();

	private final Promotions promotions = new Promotions();

	private final SlotCoverage coverage = new SlotCoverage();

	/** The nodes the last look found back on addresses they had left: watcher's thread only. */
	private List<String> lastRegressed = List.of();

	private volatile @Nullable DeploymentShape deploymentShape;

	private volatile @Nullable TopologyRefresh lastRefresh;

	/**
	 * Replaced (never mutated) whenever a node of the view moved or a replica was promoted. A
	 * command sent by a view that has moved on since times out as an echo of trouble already
	 * handled: after every pod moved, a write sent to an old address just before the new one was
	 * applied would keep the client degraded for another window after the heal.
	 */
	private volatile Routing routing = new Routing(System.nanoTime());

	/**
	 * @param ordering the watcher's view ordering, told of every view observed
	 * @param lookIn asks for a look after a wait (at once when a refresh regressed the view)
	 */
	ViewObserver(ApplicationEventPublisher events, Clock clock, TopologyCounters counters, ViewOrdering ordering,
			DeploymentShapeDetector shapeDetector, Consumer<Duration> lookIn) {
		this.events = events;
		this.clock = clock;
		this.counters = counters;
		this.ordering = ordering;
		this.shapeDetector = shapeDetector;
		this.lookIn = lookIn;
	}

	/**
	 * Publishes the moves, and when a full refresh put a node back on an address it had left,
	 * reads a newer view at once. Watcher's thread only.
	 */
	void observe(Partitions partitions) {
		List<String> regressed = this.ordering.observe(partitions, this.clock.instant());
		// The same regression is reported on every look until a newer view is applied or the
		// address memory runs out: read again at once only when it is new, or the watcher would
		// spin; otherwise the next read comes at the usual cadence.
		if (!regressed.isEmpty() && !regressed.equals(this.lastRegressed)) {
			this.counters.regression();
			logger.debug("A topology refresh put nodes " + regressed + " back on addresses they left; reading again");
			this.lookIn.accept(Duration.ZERO);
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
	 * Publishes a {@link SlotCoverageChangedEvent} when coverage was lost or regained.
	 * @return how many slots have no node now (all of them before the first topology is read)
	 */
	int checkCoverage(Partitions partitions) {
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

	/**
	 * Whether the last coverage check found slots without a node.
	 * @return {@code true} while the view leaves slots uncovered
	 */
	boolean lastHadUncovered() {
		return this.coverage.lastHadUncovered();
	}

	/** Tells the shape once, from the first view that has nodes. */
	void detectShape(Partitions partitions) {
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

	/** Keeps and publishes a refresh the watcher ran. */
	void refreshed(TopologyRefresh refresh) {
		this.lastRefresh = refresh;
		publish(new TopologyRefreshedEvent(refresh));
	}

	Optional<TopologyRefresh> lastRefresh() {
		return Optional.ofNullable(this.lastRefresh);
	}

	Optional<DeploymentShape> deploymentShape() {
		return Optional.ofNullable(this.deploymentShape);
	}

	List<NodeAddressChangedEvent> recentAddressChanges() {
		return this.addressBook.recent();
	}

	long routingSinceNanos() {
		return this.routing.sinceNanos();
	}

	/** A failing application listener must not break the watcher or the refresh it reports. */
	void publish(Object event) {
		try {
			this.events.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("An application listener failed on " + event, ex);
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

}
