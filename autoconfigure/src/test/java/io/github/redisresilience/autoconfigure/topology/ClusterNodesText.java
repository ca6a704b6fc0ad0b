package io.github.redisresilience.autoconfigure.topology;

import java.util.List;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * Views written as {@code CLUSTER NODES} answers, for tests.
 */
final class ClusterNodesText {

	static final String A = "a".repeat(40);

	static final String B = "b".repeat(40);

	static final String C = "c".repeat(40);

	static final String A1 = "1".repeat(40);

	static final String B1 = "2".repeat(40);

	private ClusterNodesText() {
	}

	static List<RedisClusterNode> view(String... lines) {
		return List.copyOf(ClusterPartitionParser.parse(String.join("\n", lines) + "\n").getPartitions());
	}

	/**
	 * A master's line.
	 * @param address {@code ip:port}, or {@code ip:port,hostname} for a node announcing a host name
	 */
	static String master(String id, String address, long epoch, String slots, String... flags) {
		return id + " " + endpoint(address) + " " + flags(flags, "master") + " - 0 0 " + epoch + " connected " + slots;
	}

	static String replica(String id, String address, String master, long epoch, String... flags) {
		return id + " " + endpoint(address) + " " + flags(flags, "slave") + " " + master + " 0 0 " + epoch + " connected";
	}

	/** As Redis writes it: {@code ip:port@cport} and the host name after a comma. */
	private static String endpoint(String address) {
		int comma = address.indexOf(',');
		return (comma < 0) ? address + "@16379" : address.substring(0, comma) + "@16379" + address.substring(comma);
	}

	private static String flags(String[] flags, String role) {
		return (flags.length == 0) ? role : String.join(",", flags) + "," + role;
	}

}
