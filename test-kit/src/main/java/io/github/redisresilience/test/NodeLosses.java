package io.github.redisresilience.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loses a Kubernetes node: picks the pods one node hosts, cuts them off until the rest of the
 * cluster has failed them over, then reschedules them to new IPs while the old ones stay cut off.
 */
final class NodeLosses {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final Pods pods;

	private final ClusterTopology topology;

	private final PodProcesses processes;

	private final ClusterNetwork network;

	private final NetworkCuts cuts;

	private final ClusterMembership membership;

	private final ClusterHealth health;

	private final WriteHold writeHold;

	private final NodeConnections connections;

	NodeLosses(Pods pods, ClusterTopology topology, PodProcesses processes, ClusterNetwork network, NetworkCuts cuts,
			ClusterMembership membership, ClusterHealth health, WriteHold writeHold, NodeConnections connections) {
		this.pods = pods;
		this.topology = topology;
		this.processes = processes;
		this.network = network;
		this.cuts = cuts;
		this.membership = membership;
		this.health = health;
		this.writeHold = writeHold;
		this.connections = connections;
	}

	List<RedisPod> podsOfOneNode() {
		RedisPod master = this.topology.masterOf(0);
		RedisPod replica = this.pods.runningWithRole(Role.MASTER)
			.stream()
			.filter((other) -> other != master)
			.flatMap((other) -> this.topology.replicasOf(other).stream())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master other than " + master + " has a replica"));
		return List.of(master, replica);
	}

	NodeLoss lose(List<RedisPod> lost) {
		for (RedisPod pod : lost) {
			if (!pod.isUp()) {
				throw new IllegalArgumentException(pod + " is not running and reachable");
			}
		}
		for (RedisPod pod : lost) {
			if (pod.role() == Role.MASTER) {
				this.writeHold.untilReplicated(pod);
			}
		}
		Instant started = Instant.now();
		lost.forEach(this.cuts::partition);
		Instant promoted = this.health.awaitHealthy();
		logger.debug("{} failed over {} ms after the cut", lost, Duration.between(started, promoted).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		Set<String> cutOff = lost.stream().map((pod) -> pod.address().getAddress().getHostAddress()).collect(Collectors.toSet());
		for (RedisPod pod : lost) {
			this.processes.kill(pod);
			// Nothing listens at the old address any more, and its iptables rules stay: it hangs.
			changes.add(this.network.relocate(pod, OldAddresses.REFUSE));
		}
		lost.forEach(this.processes::start);
		this.membership.publishAndMeet();
		NodeLoss loss = new NodeLoss(started, promoted, this.health.awaitHealthy(), lost, changes);
		this.connections.closeFrom(cutOff);
		logger.info("{}", loss);
		return loss;
	}

}
