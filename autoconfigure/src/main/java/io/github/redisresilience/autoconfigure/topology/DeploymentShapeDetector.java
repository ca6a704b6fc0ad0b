package io.github.redisresilience.autoconfigure.topology;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.internal.LettuceStrings;
import io.netty.util.NetUtil;

/**
 * Tells the {@link DeploymentShape} from the configured seeds and a topology the client read.
 */
final class DeploymentShapeDetector {

	private final List<HostAndPort> seeds;

	DeploymentShapeDetector(List<HostAndPort> seeds) {
		this.seeds = List.copyOf(seeds);
	}

	List<HostAndPort> seeds() {
		return this.seeds;
	}

	DeploymentShape detect(Partitions partitions) {
		Set<String> nodeHosts = new HashSet<>();
		boolean hostnames = false;
		for (RedisClusterNode node : partitions) {
			RedisURI uri = node.getUri();
			if (uri != null && LettuceStrings.isNotEmpty(uri.getHost())) {
				nodeHosts.add(uri.getHost());
				hostnames |= !NetUtil.isValidIpV4Address(uri.getHost()) && !NetUtil.isValidIpV6Address(uri.getHost());
			}
		}
		DeploymentShape.Announced announced = hostnames ? DeploymentShape.Announced.HOSTNAMES
				: DeploymentShape.Announced.IPS;
		return new DeploymentShape(seeds(nodeAddresses(nodeHosts)), announced);
	}

	private DeploymentShape.Seeds seeds(Set<InetAddress> nodeAddresses) {
		if (this.seeds.stream().allMatch((seed) -> isIpLiteral(seed.getHostText()))) {
			return DeploymentShape.Seeds.STATIC_ADDRESSES;
		}
		Set<InetAddress> seedAddresses = new HashSet<>();
		for (HostAndPort seed : this.seeds) {
			seedAddresses.addAll(resolve(seed.getHostText()));
		}
		if (seedAddresses.isEmpty()) {
			return DeploymentShape.Seeds.UNRESOLVED;
		}
		return nodeAddresses.containsAll(seedAddresses) ? DeploymentShape.Seeds.HEADLESS_SERVICE
				: DeploymentShape.Seeds.CLUSTER_IP_SERVICE;
	}

	private static Set<InetAddress> nodeAddresses(Collection<String> hosts) {
		Set<InetAddress> addresses = new HashSet<>();
		hosts.forEach((host) -> addresses.addAll(resolve(host)));
		return addresses;
	}

	private static List<InetAddress> resolve(String host) {
		try {
			return Arrays.asList(InetAddress.getAllByName(host));
		}
		catch (UnknownHostException ex) {
			return List.of();
		}
	}

	private static boolean isIpLiteral(String host) {
		return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
	}

}
