package io.github.redisresilience.benchmarks;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;

/**
 * The disruptions every client goes through at the same moment, as the kit performs them.
 */
enum Scenario {

	ALL_PODS_MOVE("all-pods-move", "all pods to new IPs, old IPs refuse") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			return Disruption.healed(cluster.moveAllPods(OldAddresses.REFUSE));
		}
	},

	ALL_PODS_MOVE_BLACK_HOLE("all-pods-move-black-hole", "all pods to new IPs, old IPs black-holed") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			return Disruption.healed(cluster.moveAllPods(OldAddresses.BLACK_HOLE));
		}
	},

	ROLLING_MOVE("rolling-move", "rolling move, one pod at a time, old IPs black-holed") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			return Disruption.healed(cluster.rollingMove(OldAddresses.BLACK_HOLE));
		}
	},

	MASTER_KILL("master-kill", "master killed, replica promoted") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			RedisPod master = cluster.masterOf(0);
			ChaosReport report = cluster.killMaster(master);
			return new Disruption(report, "promoted", null, () -> cluster.restart(master));
		}
	},

	MASTER_FROZEN_PAST_FAILOVER("master-frozen-past-failover",
			"master frozen (SIGSTOP) until its replica is promoted, resumed once clients recovered") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			RedisPod master = cluster.masterOf(6000);
			ChaosReport failover = cluster.pauseUntilFailover(master);
			recovery.await(failover.healed());
			ChaosReport resumed = cluster.resume(master);
			return new Disruption(failover, "promoted", resumed.started(), () -> {
			});
		}
	},

	MASTER_FROZEN_RESUMED_AT_FAILOVER("master-frozen-resumed-at-failover",
			"master frozen (SIGSTOP), resumed the moment its replica is promoted") {
		@Override
		Disruption run(LocalRedisCluster cluster, Recovery recovery) {
			RedisPod master = cluster.masterOf(9000);
			ChaosReport failover = cluster.pauseUntilFailover(master);
			ChaosReport resumed = cluster.resume(master);
			return new Disruption(failover, "promoted", resumed.started(), () -> {
			});
		}
	};

	private final String id;

	private final String description;

	Scenario(String id, String description) {
		this.id = id;
		this.description = description;
	}

	String id() {
		return this.id;
	}

	String description() {
		return this.description;
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
	 * @param cluster the cluster
	 * @param recovery waits, bounded, until every client has recovered
	 * @return what happened and when
	 */
	abstract Disruption run(LocalRedisCluster cluster, Recovery recovery);

	/** Waits until every client had a fully successful second after an instant, or the recovery limit. */
	@FunctionalInterface
	interface Recovery {

		void await(Instant from);

	}

	/**
	 * What a scenario did.
	 * @param report the kit's report: the disruption's start and the heal (the promotion where
	 * there is one), from which recovery is measured
	 * @param healLabel what the heal is called on the chart
	 * @param resumed when a frozen master was woken, if it was
	 * @param cleanup puts the cluster back as it was for the next scenario
	 */
	record Disruption(ChaosReport report, String healLabel, @Nullable Instant resumed, Runnable cleanup) {

		static Disruption healed(ChaosReport report) {
			return new Disruption(report, "healed", null, () -> {
			});
		}

	}

}
