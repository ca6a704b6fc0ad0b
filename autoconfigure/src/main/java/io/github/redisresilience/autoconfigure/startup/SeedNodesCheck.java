package io.github.redisresilience.autoconfigure.startup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Cluster;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;

import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Checks at startup that the application has cluster seeds the client can start from: set, not
 * empty, and at least one of them resolving (after remapping). A typo in a Service name otherwise
 * shows up only as connection errors at the first command.
 * <p>
 * The seeds are those Spring Boot's client uses: its {@link DataRedisConnectionDetails}, which
 * holds {@code spring.data.redis.cluster.nodes} unless the application (or Testcontainers'
 * {@code @ServiceConnection}, or Docker Compose) defines its own; errors name where they came from.
 */
final class SeedNodesCheck implements InitializingBean {

	private static final String PROPERTY = "spring.data.redis.cluster.nodes";

	/** Boot's own connection details, which hold the {@code spring.data.redis.*} properties. */
	private static final String PROPERTIES_DETAILS = "org.springframework.boot.data.redis.autoconfigure.PropertiesDataRedisConnectionDetails";

	private final boolean requireCluster;

	private final @Nullable DataRedisConnectionDetails connectionDetails;

	private final AddressRemapper remapper;

	SeedNodesCheck(boolean requireCluster, @Nullable DataRedisConnectionDetails connectionDetails,
			AddressRemapper remapper) {
		this.requireCluster = requireCluster;
		this.connectionDetails = connectionDetails;
		this.remapper = remapper;
	}

	@Override
	public void afterPropertiesSet() {
		Cluster cluster = (this.connectionDetails != null) ? this.connectionDetails.getCluster() : null;
		if (cluster == null) {
			if (this.requireCluster) {
				throw new InvalidResilienceSettingException(PROPERTY, "(not set)",
						"the redis-cluster-resilience starter expects a Redis Cluster but no cluster seed nodes are configured",
						"set it to a stable address of the cluster, such as the headless Service name redis-headless:6379, "
								+ "or set redis.resilience.require-cluster=false to run against a standalone or Sentinel Redis "
								+ "(the cluster settings then do not apply)");
			}
			return;
		}
		List<Node> nodes = cluster.getNodes();
		String source = source(this.connectionDetails);
		if (nodes.isEmpty()) {
			throw new InvalidResilienceSettingException(source, "", "no seed node is listed",
					"list at least one host:port of the cluster, such as the headless Service name redis-headless:6379");
		}
		List<String> unresolvable = new ArrayList<>();
		for (Node node : nodes) {
			HostAndPort dialled = this.remapper.map(HostAndPort.of(node.host(), node.port()));
			try {
				InetAddress.getAllByName(dialled.getHostText());
				return;
			}
			catch (UnknownHostException ex) {
				unresolvable.add(dialled.getHostText());
			}
		}
		throw new InvalidResilienceSettingException(source,
				nodes.stream().map((node) -> node.host() + ":" + node.port()).collect(Collectors.joining(",")),
				"none of the seed nodes resolves (unknown hosts: " + String.join(", ", unresolvable) + ")",
				"check the host names, e.g. the Service name and its namespace (redis-headless.my-namespace.svc.cluster.local); "
						+ "note that a headless Service has no DNS records until one of its pods is ready");
	}

	/** The property, or the application's own connection details bean, the seeds came from. */
	private static String source(@Nullable DataRedisConnectionDetails connectionDetails) {
		if (connectionDetails == null || connectionDetails.getClass().getName().equals(PROPERTIES_DETAILS)) {
			return PROPERTY;
		}
		return "cluster nodes of the DataRedisConnectionDetails bean " + connectionDetails.getClass().getName();
	}

}
