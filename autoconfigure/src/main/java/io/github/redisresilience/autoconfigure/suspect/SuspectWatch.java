package io.github.redisresilience.autoconfigure.suspect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.internal.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;

/**
 * Decides which masters are suspect: not answering while the client's topology still lists them
 * as masters the cluster has not failed. A master becomes suspect when a connection to it is
 * closed unanswered or a probe's PING to it times out (a refused connection is a dead node, not a
 * frozen one); while it is suspect it is PINGed on every review, and it stops being suspect when
 * it answers, or when the topology no longer lists it as a master at that address (promoted
 * replica, {@code fail} flag, move).
 * <p>
 * A suspect whose suspicion ends because the cluster failed it is usually not replaced yet: the
 * {@code fail} flag comes before the promotion by the replica's election delay, and the client
 * has dropped the failed node, leaving its slots without a master. Until the client's view shows
 * no replica of it any more (one was promoted, the others follow it) it is <em>awaiting
 * promotion</em>, for at most {@link #PROMOTION_WAIT}: the watcher keeps reading its replicas'
 * view at the suspect cadence, so that the slots follow the promoted replica within a read.
 * <p>
 * It hears of unanswered connections ({@link UnansweredConnectionClosedEvent}) and of the health
 * probe's PINGs ({@link NodeProbeTimedOutEvent}, {@link NodeProbeAnsweredEvent}) as application
 * events, and learns the client, its routing epoch and a thread from the topology watcher
 * ({@link WatchedCluster}), which reviews the suspects on every look and reads faster while there
 * are any.
 */
public final class SuspectWatch {

	private static final Log logger = LogFactory.getLog(SuspectWatch.class);

	/**
	 * The longest wait for a failed suspect's replica to be promoted: the cluster elects one within
	 * a second or two of the {@code fail} flag, or, without a replica able to take over, never.
	 */
	static final Duration PROMOTION_WAIT = Duration.ofSeconds(10);

	/** Node ID of a failed former suspect to the end of the wait for its replica's promotion. */
	private final Map<String, Instant> awaitingPromotion = new ConcurrentHashMap<>();

	private final SuspectNodes suspects = new SuspectNodes();

	private final NodePinger pinger = new NodePinger();

	private final Function<HostAndPort, HostAndPort> dialling;

	private final Clock clock;

	private final Consumer<Object> events;

	private volatile @Nullable WatchedCluster cluster;

	/**
	 * @param dialling the address the client dials for an announced one (the remap rules)
	 * @param events where {@link NodeSuspectedEvent}s and {@link NodeSuspicionClearedEvent}s go
	 */
	SuspectWatch(Function<HostAndPort, HostAndPort> dialling, Clock clock, Consumer<Object> events) {
		this.dialling = dialling;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Follows the cluster of a topology watcher: suspects are judged by its client's view, and it
	 * is told whenever a master becomes suspect, so that it reads the topology often.
	 * @param watched the watcher's client, routing epoch and thread
	 */
	public void watch(WatchedCluster watched) {
		this.cluster = watched;
	}

	/**
	 * The masters currently suspect: not answering while the client's topology still lists them
	 * as masters.
	 * @return the suspect nodes, in the order they were suspected
	 */
	public List<SuspectNode> all() {
		return this.suspects.all();
	}

	/**
	 * A node did not answer a probe's PING within the probe timeout: a master of the client's
	 * topology becomes suspect, unless the PING was sent before the view last moved a node or
	 * promoted a replica: a probe that PINGed a node at the address it has just left would make
	 * the master suspect at its new address, where it answers.
	 */
	@EventListener
	void onProbeTimedOut(NodeProbeTimedOutEvent event) {
		WatchedCluster watched = this.cluster;
		RedisClusterClient current = (watched != null) ? watched.client() : null;
		if (current != null && event.sentNanos() - watched.routingSinceNanos() >= 0) {
			timedOut(current.getPartitions(), event.nodeId(), SuspectNode.Cause.PROBE_TIMEOUT, event.reason());
		}
	}

	/** A node answered a probe's PING: it is no longer suspect. */
	@EventListener
	void onProbeAnswered(NodeProbeAnsweredEvent event) {
		answered(event.nodeId());
	}

	/**
	 * Published on the connection's event loop: the node is looked up, and a host name perhaps
	 * resolved, on the watcher's own thread.
	 */
	@EventListener
	void onUnansweredConnectionClosed(UnansweredConnectionClosedEvent event) {
		WatchedCluster watched = this.cluster;
		Executor executor = (watched != null) ? watched.executor() : null;
		RedisClusterClient current = (watched != null) ? watched.client() : null;
		if (executor == null || current == null) {
			return;
		}
		executor.execute(() -> {
			try {
				connectionUnanswered(current.getPartitions(), event);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not tell which node " + event.remoteAddress() + " is", ex);
			}
		});
	}

	void timedOut(Partitions partitions, String nodeId, SuspectNode.Cause cause, String reason) {
		String address = healthyMasters(partitions).get(nodeId);
		if (address != null) {
			suspect(nodeId, address, cause, reason);
		}
	}

	void answered(String nodeId) {
		this.suspects.clear(nodeId, "answered", this.clock.instant()).ifPresent(this::cleared);
	}

	/** May resolve host names with the JDK resolver: call it off Lettuce's event loop. */
	void connectionUnanswered(Partitions partitions, UnansweredConnectionClosedEvent event) {
		RemoteAddress remote = RemoteAddress.parse(event.remoteAddress()).orElse(null);
		if (remote == null) {
			return;
		}
		String reason = "a connection to it got no answer for " + event.silentFor().toMillis() + " ms";
		for (RedisClusterNode node : partitions) {
			RedisURI uri = node.getUri();
			if (uri != null && isHealthyMaster(node) && remote.isReachedBy(dialled(uri))) {
				suspect(node.getNodeId(), uri.getHost() + ":" + uri.getPort(), SuspectNode.Cause.UNANSWERED_CONNECTION,
						reason);
			}
		}
	}

	/**
	 * Ends the suspicion of nodes the topology no longer lists as masters, and PINGs the others.
	 * @param client the client the PINGs go through
	 * @param partitions the view the client routes by
	 * @param completion where an answer is handled
	 */
	public void review(RedisClusterClient client, Partitions partitions, Executor completion) {
		Instant now = this.clock.instant();
		Map<String, String> masters = healthyMasters(partitions);
		for (NodeSuspicionClearedEvent cleared : this.suspects.keepMasters(masters, now)) {
			cleared(cleared);
			String nodeId = cleared.suspect().nodeId();
			if (!masters.containsKey(nodeId) && hasReplica(partitions, nodeId)) {
				this.awaitingPromotion.put(nodeId, now.plus(PROMOTION_WAIT));
			}
		}
		this.awaitingPromotion.entrySet()
			.removeIf((wait) -> now.isAfter(wait.getValue()) || !hasReplica(partitions, wait.getKey()));
		List<SuspectNode> remaining = this.suspects.all();
		if (remaining.isEmpty()) {
			this.pinger.close();
			return;
		}
		for (SuspectNode suspect : remaining) {
			this.pinger.ping(client, suspect.nodeId()).thenAcceptAsync((answered) -> {
				if (answered) {
					answered(suspect.nodeId());
				}
			}, completion);
		}
	}

	/**
	 * Former suspects the cluster failed whose replica the client has not seen promoted yet.
	 * @return their node IDs
	 */
	public Set<String> awaitingPromotion() {
		return Set.copyOf(this.awaitingPromotion.keySet());
	}

	/** Closes the PINGs' connection and waits for it: the topology watcher is stopping. */
	public void close() {
		this.pinger.closeNow();
		this.awaitingPromotion.clear();
	}

	private static boolean hasReplica(Partitions partitions, String nodeId) {
		for (RedisClusterNode node : partitions) {
			if (nodeId.equals(node.getSlaveOf()) && !node.is(NodeFlag.FAIL)) {
				return true;
			}
		}
		return false;
	}

	private HostAndPort dialled(RedisURI uri) {
		HostAndPort announced = HostAndPort.of(uri.getHost(), uri.getPort());
		try {
			return this.dialling.apply(announced);
		}
		catch (RuntimeException ex) {
			// A rule that renders an invalid address for this node: Lettuce dials it as announced.
			return announced;
		}
	}

	private void suspect(String nodeId, String address, SuspectNode.Cause cause, String reason) {
		this.suspects.suspect(nodeId, address, cause, reason, this.clock.instant()).ifPresent((suspect) -> {
			logger.warn("Redis Cluster master " + nodeId + " at " + address + " is suspect: " + reason
					+ " while the cluster still lists it as a master (is it frozen?)");
			WatchedCluster watched = this.cluster;
			if (watched != null) {
				watched.suspected();
			}
			publish(new NodeSuspectedEvent(suspect));
		});
	}

	private void cleared(NodeSuspicionClearedEvent event) {
		logger.info("Redis Cluster node " + event.suspect().nodeId() + " is no longer suspect after "
				+ event.suspectFor().toMillis() + " ms: " + event.why());
		publish(event);
	}

	/** A failing application listener must not break the watch or the look that reviews it. */
	private void publish(Object event) {
		try {
			this.events.accept(event);
		}
		catch (RuntimeException ex) {
			logger.warn("An application listener failed on " + event, ex);
		}
	}

	/** Masters of the client's view that the cluster has not failed, node ID to announced address. */
	private static Map<String, String> healthyMasters(Partitions partitions) {
		Map<String, String> masters = new LinkedHashMap<>();
		for (RedisClusterNode node : partitions) {
			RedisURI uri = node.getUri();
			if (node.getNodeId() != null && uri != null && isHealthyMaster(node)) {
				masters.put(node.getNodeId(), uri.getHost() + ":" + uri.getPort());
			}
		}
		return masters;
	}

	private static boolean isHealthyMaster(RedisClusterNode node) {
		return node.getRole().isUpstream() && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR);
	}

}
