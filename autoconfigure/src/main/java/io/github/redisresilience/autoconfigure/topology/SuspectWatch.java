package io.github.redisresilience.autoconfigure.topology;

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
 */
final class SuspectWatch {

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

	private final Runnable troubleSeen;

	/**
	 * @param dialling the address the client dials for an announced one (the remap rules)
	 * @param events where {@link NodeSuspectedEvent}s and {@link NodeSuspicionClearedEvent}s go
	 * @param troubleSeen told when a node becomes suspect, so that the topology is refreshed often
	 */
	SuspectWatch(Function<HostAndPort, HostAndPort> dialling, Clock clock, Consumer<Object> events,
			Runnable troubleSeen) {
		this.dialling = dialling;
		this.clock = clock;
		this.events = events;
		this.troubleSeen = troubleSeen;
	}

	List<SuspectNode> all() {
		return this.suspects.all();
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
	 * @param completion where an answer is handled
	 */
	void review(RedisClusterClient client, Partitions partitions, Executor completion) {
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
	Set<String> awaitingPromotion() {
		return Set.copyOf(this.awaitingPromotion.keySet());
	}

	void close() {
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
			this.troubleSeen.run();
			this.events.accept(new NodeSuspectedEvent(suspect));
		});
	}

	private void cleared(NodeSuspicionClearedEvent event) {
		logger.info("Redis Cluster node " + event.suspect().nodeId() + " is no longer suspect after "
				+ event.suspectFor().toMillis() + " ms: " + event.why());
		this.events.accept(event);
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
