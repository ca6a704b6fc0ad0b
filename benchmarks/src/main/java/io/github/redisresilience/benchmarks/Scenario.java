package io.github.redisresilience.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.NodeLoss;
import io.github.redisresilience.test.RedisPod;

/**
 * The disruptions every client goes through at the same moment, as the kit performs them, each
 * in a deployment shape.
 */
enum Scenario {

	ALL_PODS_MOVE("all-pods-move", Shape.HEADLESS, "all pods to new IPs, old IPs refuse", 5,
			(cluster, recovery) -> Disruption.healed(cluster.moveAllPods(OldAddresses.REFUSE))),

	ALL_PODS_MOVE_BLACK_HOLE("all-pods-move-black-hole", Shape.HEADLESS, "all pods to new IPs, old IPs black-holed", 5,
			(cluster, recovery) -> Disruption.healed(cluster.moveAllPods(OldAddresses.BLACK_HOLE))),

	ROLLING_MOVE("rolling-move", Shape.HEADLESS, "rolling move, one pod at a time, old IPs black-holed", 5,
			(cluster, recovery) -> Disruption.healed(cluster.rollingMove(OldAddresses.BLACK_HOLE))),

	MASTER_KILL("master-kill", Shape.HEADLESS, "master killed, replica promoted", 5, Scenario::killMaster),

	MASTER_FROZEN_PAST_FAILOVER("master-frozen-past-failover", Shape.HEADLESS,
			"master frozen (SIGSTOP) until its replica is promoted, resumed once clients recovered", 10,
			(cluster, recovery) -> {
				RedisPod master = cluster.masterOf(6000);
				ChaosReport failover = cluster.pauseUntilFailover(master);
				recovery.await(failover.healed());
				ChaosReport resumed = cluster.resume(master);
				return Disruption.promoted(failover, resumed.started());
			}),

	MASTER_FROZEN_RESUMED_AT_FAILOVER("master-frozen-resumed-at-failover", Shape.HEADLESS,
			"master frozen (SIGSTOP), resumed the moment its replica is promoted", 10, (cluster, recovery) -> {
				RedisPod master = cluster.masterOf(9000);
				ChaosReport failover = cluster.pauseUntilFailover(master);
				ChaosReport resumed = cluster.resume(master);
				return Disruption.promoted(failover, resumed.started());
			}),

	NODE_LOSS("node-loss", Shape.HEADLESS,
			"node lost (master of slot 0 + another master's replica): IPs cut off, failover, pods to new IPs, old IPs hang",
			5, (cluster, recovery) -> {
				NodeLoss loss = cluster.loseNode(cluster.podsOfOneNode());
				return new Disruption(loss.toChaosReport(), "healed", loss.promoted(), null, () -> {
				});
			}),

	CLUSTERIP_ALL_PODS_MOVE("clusterip-all-pods-move", Shape.CLUSTER_IP, "all pods to new IPs, old IPs refuse", 5,
			ALL_PODS_MOVE),

	CLUSTERIP_MASTER_KILL("clusterip-master-kill", Shape.CLUSTER_IP, "master killed, replica promoted", 5, MASTER_KILL),

	HOSTNAMES_IP_ALL_PODS_MOVE("hostnames-ip-all-pods-move", Shape.HOSTNAMES_IP, "all pods to new IPs, old IPs refuse",
			5, ALL_PODS_MOVE),

	HOSTNAMES_IP_MASTER_KILL("hostnames-ip-master-kill", Shape.HOSTNAMES_IP, "master killed, replica promoted", 5,
			MASTER_KILL),

	HOSTNAMES_ALL_PODS_MOVE("hostnames-all-pods-move", Shape.HOSTNAMES, "all pods to new IPs, old IPs refuse", 5,
			ALL_PODS_MOVE),

	HOSTNAMES_MASTER_KILL("hostnames-master-kill", Shape.HOSTNAMES, "master killed, replica promoted", 5, MASTER_KILL);

	private final String id;

	private final Shape shape;

	private final String description;

	private final int fullRepetitions;

	private final Chaos chaos;

	Scenario(String id, Shape shape, String description, int fullRepetitions, Chaos chaos) {
		this.id = id;
		this.shape = shape;
		this.description = description;
		this.fullRepetitions = fullRepetitions;
		this.chaos = chaos;
	}

	/** The same disruption as another scenario, in another shape. */
	Scenario(String id, Shape shape, String description, int fullRepetitions, Scenario same) {
		this(id, shape, description, fullRepetitions, same.chaos);
	}

	String id() {
		return this.id;
	}

	Shape shape() {
		return this.shape;
	}

	String description() {
		return (this.shape == Shape.HEADLESS) ? this.description : this.description + " (" + this.shape.description() + ")";
	}

	/** How often a full run repeats it: the frozen-master races vary most, they run twice as often. */
	int fullRepetitions() {
		return this.fullRepetitions;
	}

	/** Why this machine cannot run the scenario, if it cannot. */
	Optional<String> unsupportedReason() {
		if (this == NODE_LOSS) {
			Optional<String> iptables = LocalRedisCluster.partitionUnavailableReason();
			if (iptables.isPresent()) {
				return iptables;
			}
		}
		return this.shape.unsupportedReason();
	}

	static Scenario fromId(String id) {
		for (Scenario scenario : values()) {
			if (scenario.id.equals(id.strip())) {
				return scenario;
			}
		}
		throw new IllegalArgumentException("Unknown scenario '" + id + "'; known: " + List.of(values()));
	}

	@Override
	public String toString() {
		return this.id;
	}

	/**
	 * Disrupts the cluster and returns once it is healthy again.
	 * @param cluster the cluster of the scenario's shape
	 * @param recovery waits, bounded, until every client has recovered
	 * @return what happened and when
	 */
	Disruption run(LocalRedisCluster cluster, Recovery recovery) {
		return this.chaos.run(cluster, recovery);
	}

	private static Disruption killMaster(LocalRedisCluster cluster, Recovery recovery) {
		RedisPod master = cluster.masterOf(0);
		ChaosReport report = cluster.killMaster(master);
		return new Disruption(report, "promoted", report.healed(), null, () -> cluster.restart(master));
	}

	/** A disruption of the cluster. */
	@FunctionalInterface
	interface Chaos {

		Disruption run(LocalRedisCluster cluster, Recovery recovery);

	}

	/** Waits until every client had a fully successful second after an instant, or the recovery limit. */
	@FunctionalInterface
	interface Recovery {

		void await(Instant from);

	}

	/**
	 * What a scenario did.
	 * @param report the kit's report: the disruption's start and the heal (the promotion where
	 * that is all there is), from which recovery is measured
	 * @param healLabel what the heal is called on the chart
	 * @param promoted when the rest of the cluster served every slot again after a failover, if
	 * there was one (the heal itself for a killed or frozen master)
	 * @param resumed when a frozen master was woken, if it was
	 * @param cleanup puts the cluster back as it was for the next scenario
	 */
	record Disruption(ChaosReport report, String healLabel, @Nullable Instant promoted, @Nullable Instant resumed,
			Runnable cleanup) {

		static Disruption healed(ChaosReport report) {
			return new Disruption(report, "healed", null, null, () -> {
			});
		}

		static Disruption promoted(ChaosReport failover, Instant resumed) {
			return new Disruption(failover, "promoted", failover.healed(), resumed, () -> {
			});
		}

	}

}
