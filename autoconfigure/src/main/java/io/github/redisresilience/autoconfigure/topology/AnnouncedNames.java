package io.github.redisresilience.autoconfigure.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.netty.util.NetUtil;

/**
 * Keeps the host names nodes announce when the node asked has not learned them yet.
 * <p>
 * Nodes that announce host names ({@code cluster-announce-hostname}) pass them to each other in
 * the cluster bus's ping extensions, and a node clears a peer's name on a ping that carries none,
 * as the first pings after a pod starts or meets a peer do. For a moment that node lists the peer
 * by its IP. That is a gap in what the node knows, not a move: a pod keeps its name wherever it
 * goes. Applied, it would have the client dial the IP, which a certificate naming the pod does not
 * cover and which is dead after the pod's next move. A node's own line is its own word and is
 * kept as it is.
 */
final class AnnouncedNames {

	private AnnouncedNames() {
	}

	/**
	 * Gives every node that the client knows by a host name and that a read lists by an IP its name
	 * back.
	 * @param current the view the client routes by
	 * @param read the view read; its nodes' URIs are changed in place
	 * @param source the ID of the node the view was read from
	 * @return the IDs of the nodes given their names back
	 */
	static List<String> keep(Collection<RedisClusterNode> current, List<RedisClusterNode> read, String source) {
		Map<String, String> names = new HashMap<>();
		for (RedisClusterNode node : current) {
			RedisURI uri = node.getUri();
			if (node.getNodeId() != null && uri != null && isName(uri.getHost())) {
				names.put(node.getNodeId(), uri.getHost());
			}
		}
		List<String> renamed = new ArrayList<>();
		for (RedisClusterNode node : read) {
			String name = names.get(node.getNodeId());
			RedisURI uri = node.getUri();
			if (name != null && uri != null && !isName(uri.getHost()) && !source.equals(node.getNodeId())) {
				uri.setHost(name);
				renamed.add(node.getNodeId());
			}
		}
		return renamed;
	}

	/**
	 * Whether a node went from a host name to an IP: a source that had not learned its name, never
	 * a move.
	 * @param previous the node's address before, as {@code host:port}
	 * @param address its address now, as {@code host:port}
	 */
	static boolean lostName(String previous, String address) {
		return isName(host(previous)) && !isName(host(address));
	}

	private static String host(String address) {
		int colon = address.lastIndexOf(':');
		return (colon < 0) ? address : address.substring(0, colon);
	}

	private static boolean isName(String host) {
		return !NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host);
	}

}
