package io.github.redisresilience.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.RedisURI;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.jspecify.annotations.Nullable;

/**
 * One node of the client's topology view, copied out of Lettuce's mutable partitions and without
 * the credentials Lettuce keeps in each node's URI.
 *
 * @param id the node ID
 * @param host the host the node announces, as the client knows it
 * @param port the port the node announces
 * @param master whether the node serves slots as a master
 * @param masterId the node ID of a replica's master, {@code null} for masters
 * @param flags the node's flags in lower case, as {@code CLUSTER NODES} prints them
 * @param slots the slots the node serves
 */
record NodeLayout(String id, String host, int port, boolean master, @Nullable String masterId, Set<String> flags,
		BitSet slots) {

	static List<NodeLayout> of(Collection<RedisClusterNode> partitions) {
		List<NodeLayout> nodes = new ArrayList<>();
		for (RedisClusterNode node : partitions) {
			if (node.getNodeId() != null) {
				nodes.add(of(node));
			}
		}
		return nodes;
	}

	private static NodeLayout of(RedisClusterNode node) {
		BitSet slots = new BitSet();
		node.forEachSlot(slots::set);
		Set<String> flags = new TreeSet<>();
		for (NodeFlag flag : node.getFlags()) {
			if (flag != NodeFlag.NOFLAGS) {
				flags.add(flag.name().toLowerCase(Locale.ROOT).replace('_', '-'));
			}
		}
		RedisURI uri = node.getUri();
		return new NodeLayout(node.getNodeId(), (uri != null) ? uri.getHost() : "", (uri != null) ? uri.getPort() : 0,
				node.getRole().isUpstream(), node.getSlaveOf(), flags, slots);
	}

	HostAndPort address() {
		return HostAndPort.of(this.host, this.port);
	}

	String announced() {
		return this.host + ":" + this.port;
	}

	String role() {
		return this.master ? "master" : "replica";
	}

	List<String> slotRanges() {
		return SlotRanges.of(this.slots);
	}

}
