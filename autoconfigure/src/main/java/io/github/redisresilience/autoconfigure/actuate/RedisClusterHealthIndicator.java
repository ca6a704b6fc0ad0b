package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.redisresilience.autoconfigure.suspect.SuspectNode;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Health of the Redis Cluster as the client sees it, from a probe of every node the client
 * knows: UP when every slot is served by a master that answers (unreachable replicas are listed
 * but do not change the status, since commands still go through), DOWN when some slots have no
 * master that answers, UNKNOWN when no cluster client is running.
 * <p>
 * Suspect masters (see {@link SuspectWatch#all()}: not answering while the topology
 * still lists them as masters, as a frozen node before its failover) are listed under
 * {@code suspectNodes} with since when and why. They change the status only through the slot
 * rule: a suspect master that does not answer the probe leaves its slots unserved, so the status
 * is DOWN until it answers again or its replica is promoted.
 * <p>
 * Unlike Spring Boot's {@code redis} indicator, which asks one node for {@code CLUSTER INFO}, it
 * also catches a client whose view is stale: nodes the cluster calls healthy but that the client
 * dials at addresses that no longer answer.
 */
final class RedisClusterHealthIndicator extends AbstractHealthIndicator {

	private final ClusterProbe probe;

	private final TopologyWatcher watcher;

	private final SuspectWatch suspects;

	private final Clock clock;

	RedisClusterHealthIndicator(ClusterProbe probe, TopologyWatcher watcher, SuspectWatch suspects, Clock clock) {
		super("Redis Cluster health check failed");
		this.probe = probe;
		this.watcher = watcher;
		this.suspects = suspects;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ClusterSnapshot snapshot = this.probe.probe();
		String problem = snapshot.problem();
		if (!snapshot.clientRunning()) {
			builder.unknown().withDetail("reason", (problem != null) ? problem : "no cluster client");
			return;
		}
		if (problem != null) {
			builder.down().withDetail("error", problem);
			addRefreshDetails(builder);
			return;
		}
		if (snapshot.everySlotServed()) {
			builder.up();
		}
		else {
			builder.down();
		}
		builder.withDetail("nodes", Map.of("masters", snapshot.count(true), "replicas", snapshot.count(false)));
		builder.withDetail("unreachable",
				Map.of("masters", snapshot.countUnreachable(true), "replicas", snapshot.countUnreachable(false)));
		builder.withDetail("slots", slots(snapshot));
		addIfNotEmpty(builder, "unreachableNodes", snapshot.unreachable().stream().map(this::unreachable).toList());
		addIfNotEmpty(builder, "remappedNodes",
				snapshot.nodes().stream().filter(NodeProbe::remapped).map(this::remapped).toList());
		addIfNotEmpty(builder, "remapWarnings", snapshot.remapWarnings());
		addIfNotEmpty(builder, "suspectNodes", this.suspects.all().stream().map(this::suspect).toList());
		addRefreshDetails(builder);
	}

	private Map<String, Object> suspect(SuspectNode suspect) {
		Map<String, Object> node = new LinkedHashMap<>();
		node.put("id", suspect.nodeId());
		node.put("announced", suspect.address());
		node.put("since", suspect.since().toString());
		node.put("forMillis", Math.max(0, Duration.between(suspect.since(), this.clock.instant()).toMillis()));
		node.put("cause", suspect.cause().tag());
		node.put("reason", suspect.reason());
		return node;
	}

	private void addRefreshDetails(Health.Builder builder) {
		builder.withDetail("degraded", RefreshDetails.degraded(this.watcher));
		this.watcher.lastRefresh()
			.ifPresent((refresh) -> builder.withDetail("lastRefresh", RefreshDetails.of(refresh, this.clock)));
	}

	private static Map<String, Object> slots(ClusterSnapshot snapshot) {
		BitSet uncovered = snapshot.uncoveredSlots();
		Map<String, Object> slots = new LinkedHashMap<>();
		slots.put("covered", snapshot.coveredSlots().cardinality());
		slots.put("uncovered", uncovered.cardinality());
		if (!uncovered.isEmpty()) {
			slots.put("uncoveredRanges", SlotRanges.of(uncovered));
		}
		return slots;
	}

	private Map<String, Object> unreachable(NodeProbe probe) {
		Map<String, Object> node = new LinkedHashMap<>();
		node.put("id", probe.node().id());
		node.put("role", probe.node().role());
		node.put("announced", probe.node().announced());
		node.put("dialled", probe.dialled());
		node.put("error", probe.error());
		return node;
	}

	private Map<String, Object> remapped(NodeProbe probe) {
		Map<String, Object> node = new LinkedHashMap<>();
		node.put("id", probe.node().id());
		node.put("announced", probe.node().announced());
		node.put("dialled", probe.dialled());
		return node;
	}

	private static void addIfNotEmpty(Health.Builder builder, String key, List<?> values) {
		if (!values.isEmpty()) {
			builder.withDetail(key, values);
		}
	}

}
