package io.github.redisresilience.test;

import java.time.Instant;
import java.util.List;

/**
 * Disrupts pods' processes where they are, as a crash, a container restart or a long pause does:
 * stops, restarts, kills and freezes ({@code SIGSTOP}) them, and resumes frozen ones. A master is
 * failed over only after its replicas have every write it answered (see {@link WriteHold}).
 */
final class ProcessDisruptions {

	private final PodProcesses processes;

	private final ClusterServices services;

	private final ClusterMembership membership;

	private final ClusterHealth health;

	private final WriteHold writeHold;

	ProcessDisruptions(PodProcesses processes, ClusterServices services, ClusterMembership membership,
			ClusterHealth health, WriteHold writeHold) {
		this.processes = processes;
		this.services = services;
		this.membership = membership;
		this.health = health;
		this.writeHold = writeHold;
	}

	void stop(RedisPod pod) {
		this.processes.stop(pod);
		this.services.publish();
	}

	ChaosReport restart(RedisPod pod) {
		Instant started = Instant.now();
		this.processes.stop(pod);
		this.processes.start(pod);
		this.membership.publishAndMeet();
		return new ChaosReport("restart " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

	ChaosReport killMaster(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		this.writeHold.untilReplicated(master);
		Instant started = Instant.now();
		this.processes.kill(master);
		this.services.publish();
		return new ChaosReport("kill-master " + master.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

	void pause(RedisPod pod) {
		// A pod cut off with iptables can be frozen too: only its process matters here.
		if (!pod.isRunning() || pod.isPaused()) {
			throw new IllegalStateException(pod + " is not running or already paused");
		}
		PodProcesses.signal(pod, "STOP");
		pod.paused(true);
		this.services.republishAfterReadinessDelay();
	}

	ChaosReport pauseUntilFailover(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		this.writeHold.untilReplicated(master);
		Instant started = Instant.now();
		pause(master);
		return new ChaosReport("pause-master " + master.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

	ChaosReport resume(RedisPod pod) {
		if (!pod.isPaused()) {
			throw new IllegalStateException(pod + " is not paused");
		}
		Instant started = Instant.now();
		PodProcesses.signal(pod, "CONT");
		pod.paused(false);
		this.services.publish();
		return new ChaosReport("resume " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
	}

}
