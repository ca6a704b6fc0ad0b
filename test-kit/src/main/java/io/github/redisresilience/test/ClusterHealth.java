package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the cluster is healthy, as every running node sees it, and waits until it is: every
 * node reports {@code cluster_state:ok}, sees every other running node at its current address, and
 * every slot is served by a running master, the same one in every view. While it waits it points
 * replicas at masters that moved, as operators do; once healthy, it records each pod's role.
 */
final class ClusterHealth {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	/** How much of a replica's log an unhealthy cluster's description shows. */
	private static final int LOG_LINES = 25;

	private final String cluster;

	private final Duration healTimeout;

	private final Pods pods;

	private final AdminConnections admin;

	ClusterHealth(String cluster, Duration healTimeout, Pods pods, AdminConnections admin) {
		this.cluster = cluster;
		this.healTimeout = healTimeout;
		this.pods = pods;
		this.admin = admin;
	}

	Instant awaitHealthy() {
		Instant healed = Poll.until(this.healTimeout, this::describeUnhealthy, () -> {
			repointReplicas();
			return isHealthy();
		});
		refreshRoles();
		return healed;
	}

	/**
	 * Points each replica whose master moved at the master's new address, as operators do.
	 * <p>
	 * Redis updates a peer's address from gossip without moving the replication link, and once the
	 * address is updated the direct path that would move it sees nothing new: a replica whose master
	 * moved can keep dialling the old address for ever. {@code CLUSTER REPLICATE} re-targets it.
	 */
	private void repointReplicas() {
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
				ClusterNodesLine myself = view.stream().filter(ClusterNodesLine::isMyself).findFirst().orElse(null);
				if (myself == null || myself.isMaster()) {
					continue;
				}
				ClusterNodesLine master = view.stream()
					.filter((line) -> line.id().equals(myself.masterId()) && !line.isFailing())
					.findFirst()
					.orElse(null);
				String replication = connection.callForString("INFO", "replication");
				if (master != null && !replication.contains("master_host:" + master.host() + "\r\n")) {
					logger.debug("Re-pointing replica {} at its master {}:{}", pod, master.host(), master.port());
					connection.call("CLUSTER", "REPLICATE", master.id());
				}
			}
			catch (IOException ex) {
				logger.debug("Could not check the replication target of {}", pod, ex);
			}
		}
	}

	boolean isHealthy() {
		return unhealthyReason() == null;
	}

	private @Nullable String unhealthyReason() {
		List<RedisPod> up = this.pods.up();
		if (up.isEmpty()) {
			return "no pod is running";
		}
		RedisPod first = null;
		String firstMasters = null;
		for (RedisPod observer : up) {
			ObserverView view = observe(observer, up);
			if (view.unhealthyReason() != null) {
				return observer.name() + ": " + view.unhealthyReason();
			}
			if (first == null) {
				first = observer;
				firstMasters = view.masters();
			}
			else if (!view.masters().equals(firstMasters)) {
				// A node that has just come back, or missed an election, can still list itself or another
				// node as the master of slots that have moved on: healthy on its own, but not settled.
				return first.name() + " and " + observer.name() + " disagree on the masters: " + firstMasters + " and "
						+ view.masters();
			}
		}
		return null;
	}

	/**
	 * What one node's view says of the cluster.
	 * @param unhealthyReason why the node's view is not healthy, {@code null} if it is
	 * @param masters the masters serving slots in the view and how many each serves, in id order
	 */
	private record ObserverView(@Nullable String unhealthyReason, String masters) {

	}

	private ObserverView observe(RedisPod observer, List<RedisPod> up) {
		try (RespConnection connection = this.admin.connect(observer)) {
			if (!connection.callForString("CLUSTER", "INFO").contains("cluster_state:ok")) {
				return new ObserverView("cluster_state is not ok", "");
			}
			List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
			Map<String, ClusterNodesLine> byId = view.stream()
				.collect(Collectors.toMap(ClusterNodesLine::id, (line) -> line, (a, b) -> a));
			for (RedisPod other : up) {
				ClusterNodesLine line = byId.get(other.nodeId());
				if (line == null) {
					return new ObserverView("does not know " + other.name(), "");
				}
				if (line.isFailing() || (!line.isMyself() && !line.connected())) {
					return new ObserverView(
							"sees " + other.name() + " as " + line.flags() + (line.connected() ? "" : ", disconnected"), "");
				}
				if (!line.host().equals(other.address().getHostString()) || line.port() != other.address().getPort()) {
					return new ObserverView("sees " + other.name() + " at " + line.host() + ":" + line.port(), "");
				}
			}
			Set<String> upIds = up.stream().map(RedisPod::nodeId).collect(Collectors.toSet());
			List<ClusterNodesLine> serving = view.stream()
				.filter((line) -> line.isMaster() && !line.isFailing() && upIds.contains(line.id()) && line.slotCount() > 0)
				.sorted(Comparator.comparing(ClusterNodesLine::id))
				.toList();
			int served = serving.stream().mapToInt(ClusterNodesLine::slotCount).sum();
			if (served != LocalRedisCluster.SLOTS) {
				return new ObserverView("sees " + served + " slots served by running masters", "");
			}
			ClusterNodesLine myself = byId.get(observer.nodeId());
			if (!myself.isMaster()
					&& !connection.callForString("INFO", "replication").contains("master_link_status:up")) {
				return new ObserverView("replication link is not up", "");
			}
			String masters = serving.stream()
				.map((line) -> line.id() + "=" + line.slotCount())
				.collect(Collectors.joining(", ", "[", "]"));
			return new ObserverView(null, masters);
		}
		catch (IOException | RuntimeException ex) {
			return new ObserverView(ex.toString(), "");
		}
	}

	private String describeUnhealthy() {
		StringBuilder description = new StringBuilder("Redis Cluster ").append(this.cluster)
			.append(" to be healthy (last reason: ")
			.append(unhealthyReason())
			.append(")");
		// A frozen pod that still answers its peers would keep the cluster from failing it over: say
		// what the kernel thinks of its process ('T' is stopped).
		for (RedisPod pod : this.pods.all()) {
			if (pod.isPaused()) {
				description.append("; ").append(pod.name()).append(" is paused: PID ").append(pod.pid())
					.append(", process state ").append(PodProcesses.processState(pod.pid()));
			}
		}
		description.append("; views:");
		List<RedisPod> replicasOfFailingMasters = new ArrayList<>();
		for (RedisPod observer : this.pods.up()) {
			description.append("\n--- ").append(observer).append('\n');
			try (RespConnection connection = this.admin.connect(observer)) {
				String nodes = connection.callForString("CLUSTER", "NODES");
				description.append(nodes);
				if (isReplicaOfAFailingMaster(ClusterNodesLine.parse(nodes))) {
					replicasOfFailingMasters.add(observer);
				}
			}
			catch (IOException | RuntimeException ex) {
				description.append(ex);
			}
		}
		// Why a replica does not take over is in its own log ("Currently unable to failover: ...").
		for (RedisPod replica : replicasOfFailingMasters) {
			description.append("\n--- last lines of ").append(replica.name()).append("'s log\n")
				.append(logTail(replica, LOG_LINES));
		}
		return description.toString();
	}

	private static boolean isReplicaOfAFailingMaster(List<ClusterNodesLine> view) {
		ClusterNodesLine myself = view.stream().filter(ClusterNodesLine::isMyself).findFirst().orElse(null);
		return myself != null && !myself.isMaster()
				&& view.stream().anyMatch((line) -> line.id().equals(myself.masterId()) && line.isFailing());
	}

	private static String logTail(RedisPod pod, int lines) {
		try {
			List<String> all = Files.readAllLines(pod.dataDirectory().resolve("redis.log"));
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return ex.toString();
		}
	}

	/** Every running node sees the same owner for every slot, none of them importing or migrating. */
	Instant awaitSlotsAgreed() {
		return Poll.until(this.healTimeout, "every node to agree on the slots' owners", () -> {
			String agreed = null;
			for (RedisPod pod : this.pods.up()) {
				try (RespConnection connection = this.admin.connect(pod)) {
					String owners = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
						.stream()
						.filter((line) -> line.isMaster() && line.slotCount() > 0)
						.map((line) -> line.id() + "=" + line.slotCount())
						.sorted()
						.collect(Collectors.joining(","));
					if (agreed != null && !agreed.equals(owners)) {
						return false;
					}
					agreed = owners;
				}
				catch (IOException ex) {
					return false;
				}
			}
			return true;
		});
	}

	private void refreshRoles() {
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
					.stream()
					.filter(ClusterNodesLine::isMyself)
					.findFirst()
					.ifPresent((myself) -> pod.role(myself.isMaster() ? Role.MASTER : Role.REPLICA));
			}
			catch (IOException ex) {
				logger.debug("Could not read the role of {}", pod, ex);
			}
		}
	}

}
