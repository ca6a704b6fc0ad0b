package io.github.redisresilience.test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis answers a write before its replicas have it, so a master stopped in between loses writes
 * its clients saw acknowledged, and no client can prevent that. Before a disruption that fails
 * a master over, the kit holds the master's writes ({@code CLIENT PAUSE WRITE}, a second at
 * most) until every replica has processed its replication stream: the promoted replica then
 * holds every write a client saw acknowledged, and a client's ledger stays exact. Writes sent
 * meanwhile wait unanswered, as they would on a master that stopped.
 */
final class WriteHold {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	/** How long a master's writes are held, at most, before a disruption fails it over. */
	private static final Duration WRITE_HOLD = Duration.ofSeconds(1);

	private final AdminConnections admin;

	private final ClusterTopology topology;

	WriteHold(AdminConnections admin, ClusterTopology topology) {
		this.admin = admin;
		this.topology = topology;
	}

	void untilReplicated(RedisPod master) {
		List<RedisPod> replicas = this.topology.replicasOf(master);
		try (RespConnection connection = this.admin.connect(master)) {
			connection.callForString("CLIENT", "PAUSE", Long.toString(WRITE_HOLD.toMillis()), "WRITE");
			long offset = replicationOffset(connection.callForString("INFO", "replication"), "master_repl_offset");
			Poll.until(WRITE_HOLD.dividedBy(2), () -> "the replicas of " + master + " to reach offset " + offset,
					() -> replicas.stream().allMatch((replica) -> replicatedOffset(replica) >= offset));
		}
		catch (IOException | IllegalStateException ex) {
			// The disruption goes ahead: a write lost now shows in the client's ledger, with this reason.
			logger.warn("Could not hold the writes of {} until its replicas had them: {}", master, ex.toString());
		}
	}

	/** How far a replica has processed its master's replication stream, or -1 if unknown. */
	private long replicatedOffset(RedisPod replica) {
		try (RespConnection connection = this.admin.connect(replica)) {
			return replicationOffset(connection.callForString("INFO", "replication"), "slave_repl_offset");
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static long replicationOffset(String info, String field) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(field + ":")) {
				return Long.parseLong(line.substring(field.length() + 1).strip());
			}
		}
		return -1;
	}

}
