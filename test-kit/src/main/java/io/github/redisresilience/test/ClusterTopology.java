package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topology from the running nodes now: which master serves a slot, which slots a master
 * serves, which pods replicate a master.
 */
final class ClusterTopology {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final Pods pods;

	private final AdminConnections admin;

	ClusterTopology(Pods pods, AdminConnections admin) {
		this.pods = pods;
		this.admin = admin;
	}

	RedisPod masterOf(int slot) {
		for (RedisPod observer : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(observer)) {
				Object reply = connection.call("CLUSTER", "SLOTS");
				for (Object range : (List<?>) reply) {
					List<?> fields = (List<?>) range;
					if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
						String id = (String) ((List<?>) fields.get(2)).get(2);
						return this.pods.withNodeId(id);
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read the slots from {}", observer, ex);
			}
		}
		throw new IllegalStateException("No running node could tell the master of slot " + slot);
	}

	List<Integer> slotsOf(RedisPod master) {
		try (RespConnection connection = this.admin.connect(master)) {
			List<Integer> slots = new ArrayList<>();
			for (Object range : (List<?>) connection.call("CLUSTER", "SLOTS")) {
				List<?> fields = (List<?>) range;
				if (master.nodeId().equals(((List<?>) fields.get(2)).get(2))) {
					IntStream.rangeClosed(((Long) fields.get(0)).intValue(), ((Long) fields.get(1)).intValue())
						.forEach(slots::add);
				}
			}
			return slots;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the slots of " + master, ex);
		}
	}

	List<RedisPod> replicasOf(RedisPod master) {
		List<RedisPod> replicas = new ArrayList<>();
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"))
					.stream()
					.filter((line) -> line.isMyself() && !line.isMaster() && line.masterId().equals(master.nodeId()))
					.findFirst()
					.ifPresent((line) -> replicas.add(pod));
			}
			catch (IOException ex) {
				logger.debug("Could not read the role of {}", pod, ex);
			}
		}
		return replicas;
	}

}
