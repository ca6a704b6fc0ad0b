package io.github.redisresilience.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reschedules pods to new IPs as Kubernetes does: all at once, one at a time, or one pod. Each pod
 * keeps its data and node ID, and the cluster heals with {@code CLUSTER MEET} between the new
 * addresses.
 */
final class PodMoves {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final Pods pods;

	private final PodProcesses processes;

	private final ClusterNetwork network;

	private final ClusterMembership membership;

	private final ClusterHealth health;

	PodMoves(Pods pods, PodProcesses processes, ClusterNetwork network, ClusterMembership membership,
			ClusterHealth health) {
		this.pods = pods;
		this.processes = processes;
		this.network = network;
		this.membership = membership;
		this.health = health;
	}

	ChaosReport moveAll(OldAddresses oldAddresses) {
		Instant started = Instant.now();
		List<RedisPod> moving = this.pods.running();
		moving.parallelStream().forEach(this.processes::stop);
		logger.debug("Stopped {} pods in {} ms", moving.size(), Duration.between(started, Instant.now()).toMillis());
		List<AddressChange> changes = new ArrayList<>();
		for (RedisPod pod : moving) {
			changes.add(this.network.relocate(pod, oldAddresses));
		}
		moving.forEach(this.processes::start);
		this.membership.publishAndMeet();
		logger.debug("Restarted and introduced {} pods {} ms after the move began", moving.size(),
				Duration.between(started, Instant.now()).toMillis());
		return new ChaosReport("move-all-pods", started, this.health.awaitHealthy(), changes).logged();
	}

	ChaosReport rolling(OldAddresses oldAddresses) {
		Instant started = Instant.now();
		List<AddressChange> changes = new ArrayList<>();
		Instant healed = started;
		List<RedisPod> order = this.pods.running()
			.stream()
			.sorted(Comparator.comparingInt(RedisPod::ordinal).reversed())
			.toList();
		for (RedisPod pod : order) {
			ChaosReport step = move(pod, oldAddresses);
			changes.addAll(step.addressChanges());
			healed = step.healed();
		}
		return new ChaosReport("rolling-move", started, healed, changes).logged();
	}

	ChaosReport move(RedisPod pod, OldAddresses oldAddresses) {
		Instant started = Instant.now();
		this.processes.stop(pod);
		AddressChange change = this.network.relocate(pod, oldAddresses);
		this.processes.start(pod);
		this.membership.publishAndMeet();
		return new ChaosReport("move-pod " + pod.name(), started, this.health.awaitHealthy(), List.of(change)).logged();
	}

}
