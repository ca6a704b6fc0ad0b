package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The cluster's keys, wiped for runs that must not depend on what ran before. A cluster whose data
 * only grows heals more slowly after every restart or move: each node started again loads its whole
 * append-only file and each of its replicas copies the whole data set, so the fifth repetition of a
 * disruption would measure the data, not the clients.
 */
final class ClusterFlush {

	/** How long the replicas may take to apply a flush. */
	private static final Duration REPLICATION = Duration.ofSeconds(10);

	private final Pods pods;

	private final AdminConnections admin;

	private final ClusterTopology topology;

	private final PodProcesses processes;

	private final ClusterHealth health;

	ClusterFlush(Pods pods, AdminConnections admin, ClusterTopology topology, PodProcesses processes,
			ClusterHealth health) {
		this.pods = pods;
		this.admin = admin;
		this.topology = topology;
		this.processes = processes;
		this.health = health;
	}

	/**
	 * Deletes every key on every master of a healthy cluster, waits until their replicas have
	 * deleted them too, and has every node rewrite its append-only file, so that a restart loads
	 * nothing.
	 */
	void flush() {
		this.health.awaitHealthy();
		for (RedisPod master : this.pods.runningWithRole(Role.MASTER)) {
			int replicas = this.topology.replicasOf(master).size();
			try (RespConnection connection = this.admin.connect(master)) {
				connection.callForString("FLUSHALL", "SYNC");
				// WAIT counts the replicas that have this connection's writes, the flush included.
				Object acknowledged = connection.call("WAIT", Integer.toString(replicas),
						Long.toString(REPLICATION.toMillis()));
				if (!(acknowledged instanceof Long count) || count < replicas) {
					throw new IllegalStateException("Only " + acknowledged + " of the " + replicas + " replicas of "
							+ master + " applied its flush within " + REPLICATION);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not flush " + master, ex);
			}
		}
		for (RedisPod pod : this.pods.up()) {
			this.processes.rewriteAppendOnlyFile(pod);
		}
	}

}
