package io.github.redisresilience.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: a node as another node sees it.
 *
 * @param id the node ID
 * @param host the announced IP
 * @param port the client port
 * @param flags flags such as {@code myself}, {@code master}, {@code fail?}
 * @param masterId the master's ID for a replica, {@code -} otherwise
 * @param connected whether the bus link is connected
 * @param slotCount how many slots the node serves
 */
record ClusterNodesLine(String id, String host, int port, Set<String> flags, String masterId, boolean connected,
		int slotCount) {

	private static final Set<String> FAILING = Set.of("fail", "fail?", "handshake", "noaddr");

	static List<ClusterNodesLine> parse(String clusterNodes) {
		List<ClusterNodesLine> lines = new ArrayList<>();
		for (String line : clusterNodes.split("\n")) {
			if (!line.isBlank()) {
				lines.add(parseLine(line.strip()));
			}
		}
		return lines;
	}

	private static ClusterNodesLine parseLine(String line) {
		String[] parts = line.split(" ");
		String address = parts[1];
		int at = address.indexOf('@');
		String hostAndPort = (at >= 0) ? address.substring(0, at) : address;
		int colon = hostAndPort.lastIndexOf(':');
		String host = hostAndPort.substring(0, colon);
		int port = Integer.parseInt(hostAndPort.substring(colon + 1));
		int slots = 0;
		for (int i = 8; i < parts.length; i++) {
			slots += slotCount(parts[i]);
		}
		return new ClusterNodesLine(parts[0], host, port, Set.of(parts[2].split(",")), parts[3],
				"connected".equals(parts[7]), slots);
	}

	private static int slotCount(String range) {
		if (range.startsWith("[")) {
			// A slot being imported or migrated: still owned by the node listed with it plainly.
			return 0;
		}
		int dash = range.indexOf('-');
		if (dash < 0) {
			return 1;
		}
		return Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
	}

	boolean isMyself() {
		return this.flags.contains("myself");
	}

	boolean isMaster() {
		return this.flags.contains("master");
	}

	boolean isFailing() {
		return this.flags.stream().anyMatch(FAILING::contains);
	}

}
