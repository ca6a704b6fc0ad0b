package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.NodeLoss;
import io.github.redisresilience.test.RedisPod;

/**
 * What the soak does to its cluster, one at a time, each ending with the cluster healed and every
 * slot served by a master with a replica, so that any disruption may follow any other.
 */
enum SoakDisruption {

	/** Every pod rescheduled to a new IP, all at once; the old IPs hang. */
	ALL_PODS_MOVE("all pods moved, old IPs black-holed") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			return Applied.of(this, cluster.moveAllPods(OldAddresses.BLACK_HOLE));
		}
	},

	/** A rolling upgrade: one pod after the other to a new IP; the old IPs hang. */
	ROLLING_MOVE("rolling move, old IPs black-holed") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			return Applied.of(this, cluster.rollingMove(OldAddresses.BLACK_HOLE));
		}
	},

	/** A master killed, its replica promoted, the pod replaced at a new IP, where it rejoins as a replica. */
	MASTER_REPLACED("master killed, replica promoted, pod replaced at a new IP") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			RedisPod master = pick(cluster.masters(), random);
			ChaosReport killed = cluster.killMaster(master);
			ChaosReport replaced = cluster.movePod(master, OldAddresses.BLACK_HOLE);
			return new Applied(this, killed.started(), killed.healed(), replaced.healed());
		}
	},

	/** A master frozen (SIGSTOP) until its replica is promoted, woken once the application recovered. */
	MASTER_FROZEN("master frozen past failover, resumed after recovery") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			RedisPod master = pick(cluster.masters(), random);
			ChaosReport failover = cluster.pauseUntilFailover(master);
			recovery.await(failover.healed());
			ChaosReport resumed = cluster.resume(master);
			return new Applied(this, failover.started(), failover.healed(), resumed.healed());
		}
	},

	/**
	 * A Kubernetes node lost: the master of slot 0 and another master's replica cut off, failed
	 * over, and rescheduled to new IPs.
	 */
	NODE_LOSS("node lost (a master and another master's replica)") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			NodeLoss loss = cluster.loseNode(cluster.podsOfOneNode());
			return new Applied(this, loss.started(), loss.promoted(), loss.healed());
		}

		@Override
		boolean possible(LocalRedisCluster cluster) {
			return LocalRedisCluster.partitionUnavailableReason().isEmpty();
		}
	},

	/** A master and its replica added, and slots migrated to the master under load (ASK, then MOVED). */
	SCALE_OUT("scaled out: a master and its replica added, " + SoakDisruption.MIGRATED_SLOTS + " slots migrated") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			Instant started = Instant.now();
			RedisPod master = cluster.addMaster();
			cluster.addReplica(master);
			ChaosReport migrated = cluster.migrateSlots(master, MIGRATED_SLOTS);
			return new Applied(this, started, migrated.healed(), migrated.healed());
		}

		@Override
		boolean possible(LocalRedisCluster cluster) {
			return cluster.masters().size() == BASE_MASTERS && !cluster.isTls();
		}
	},

	/** The newest master drained and removed, and one replica removed, back to three of each. */
	SCALE_IN("scaled in: the newest master drained and removed, then a replica") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			RedisPod master = cluster.masters()
				.stream()
				.max(Comparator.comparingInt(RedisPod::ordinal))
				.orElseThrow();
			ChaosReport drained = cluster.removeMaster(master);
			// Its replicas now follow the master that took its last slot: that master has two.
			RedisPod replica = cluster.masters()
				.stream()
				.map(cluster::replicasOf)
				.filter((replicas) -> replicas.size() > 1)
				.flatMap(List::stream)
				.max(Comparator.comparingInt(RedisPod::ordinal))
				.orElseThrow(() -> new IllegalStateException("No master has two replicas after removing " + master));
			ChaosReport removed = cluster.removeReplica(replica);
			return new Applied(this, drained.started(), drained.healed(), removed.healed());
		}

		@Override
		boolean possible(LocalRedisCluster cluster) {
			return cluster.masters().size() > BASE_MASTERS;
		}
	},

	/**
	 * The application's ACL password rotated on every node while it runs: the new password added,
	 * the mounted secret replaced, every client connection closed, the old password removed, every
	 * client connection closed again.
	 */
	PASSWORD_ROTATION("ACL password rotated, the mounted secret replaced, clients reconnected twice") {
		@Override
		Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials) {
			Instant started = Instant.now();
			Instant onlyNewPassword = credentials.rotate(cluster, recovery);
			return new Applied(this, started, onlyNewPassword, onlyNewPassword);
		}
	};

	/** Masters the kit starts with; a scale-out adds one, the scale-in after it removes it. */
	static final int BASE_MASTERS = 3;

	/** Slots a scale-out moves to the new master: enough for ASK and MOVED on every thread. */
	static final int MIGRATED_SLOTS = 1024;

	private final String description;

	SoakDisruption(String description) {
		this.description = description;
	}

	String description() {
		return this.description;
	}

	String id() {
		return name().toLowerCase().replace('_', '-');
	}

	/**
	 * Disrupts the cluster and returns once it has healed.
	 * @param cluster the cluster
	 * @param random the schedule's random source, for choices within the disruption
	 * @param recovery waits, bounded, until the application has recovered
	 * @param credentials the application's credentials, for a rotation
	 * @return when it started, when the application could recover, and when it was over
	 */
	abstract Applied apply(LocalRedisCluster cluster, Random random, Recovery recovery, SoakCredentials credentials);

	/**
	 * Whether the disruption can follow now (a scale-in needs a scale-out before it; a node loss
	 * needs iptables).
	 * @param cluster the cluster
	 * @return {@code true} if it can
	 */
	boolean possible(LocalRedisCluster cluster) {
		return true;
	}

	private static RedisPod pick(List<RedisPod> pods, Random random) {
		List<RedisPod> sorted = pods.stream().sorted(Comparator.comparingInt(RedisPod::ordinal)).toList();
		return sorted.get(random.nextInt(sorted.size()));
	}

	/** Waits, bounded, until the application had a fully successful second after an instant. */
	@FunctionalInterface
	interface Recovery {

		void await(Instant from);

	}

	/**
	 * A disruption applied.
	 * @param disruption what it was
	 * @param started when it started
	 * @param healed from when the application could work again (every slot served): recovery is
	 * measured from here
	 * @param over when the cluster was whole again (a replaced pod rejoined, a frozen one woke)
	 */
	record Applied(SoakDisruption disruption, Instant started, Instant healed, Instant over) {

		static Applied of(SoakDisruption disruption, ChaosReport report) {
			return new Applied(disruption, report.started(), report.healed(), report.healed());
		}

		Duration unhealthyFor() {
			return Duration.between(this.started, this.healed);
		}

	}

}
