package io.github.redisresilience.benchmarks;

import java.util.List;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;

/**
 * What the fleet-cost suite does to the cluster while a fleet runs: the kit's operations, each
 * returning once the cluster is healthy again.
 */
enum FleetDisruption {

	/** Every pod restarts on a new IP at once; the old IPs refuse. */
	ALL_PODS_MOVED("all-pods-moved"),

	/** SIGKILL of the master of slot 0 until its replica is promoted; restarted after the measurement. */
	MASTER_KILL("master-kill");

	private final String id;

	FleetDisruption(String id) {
		this.id = id;
	}

	String id() {
		return this.id;
	}

	static FleetDisruption fromId(String id) {
		for (FleetDisruption disruption : values()) {
			if (disruption.id.equals(id.strip())) {
				return disruption;
			}
		}
		throw new IllegalArgumentException("Unknown fleet scenario '" + id + "'; known: " + List.of(values()));
	}

	/**
	 * Disrupts the cluster and returns once it is healthy again.
	 * @param cluster the cluster
	 * @return what happened, and how to put the cluster back as it was (outside the measurement)
	 */
	Done run(LocalRedisCluster cluster) {
		return switch (this) {
			case ALL_PODS_MOVED -> new Done(cluster.moveAllPods(OldAddresses.REFUSE), () -> {
			});
			case MASTER_KILL -> {
				RedisPod master = cluster.masterOf(0);
				yield new Done(cluster.killMaster(master), () -> cluster.restart(master));
			}
		};
	}

	@Override
	public String toString() {
		return this.id;
	}

	/**
	 * A disruption that is over.
	 * @param report when it started and healed, and which pods changed address
	 * @param cleanup puts the cluster back for the next fleet
	 */
	record Done(ChaosReport report, Runnable cleanup) {

	}

}
