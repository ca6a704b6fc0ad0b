package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.suspect.RedisResilienceSuspectAutoConfiguration;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;

/**
 * Watches the topology of the Redis Cluster client Spring Boot created: refreshes it while
 * nodes are unreachable and publishes {@link NodeAddressChangedEvent}s. It follows the suspect
 * watch of {@link RedisResilienceSuspectAutoConfiguration}, and backs off without it.
 */
@AutoConfiguration(after = { RedisResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class,
		RedisResilienceSuspectAutoConfiguration.class })
@ConditionalOnClass({ RedisClusterClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean({ LettuceConnectionFactory.class, RedisResilienceProperties.class, AddressRemapper.class,
		SuspectWatch.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@ImportRuntimeHints(TopologyRuntimeHints.class)
public final class RedisResilienceTopologyAutoConfiguration {

	@Bean
	TopologyWatcher redisResilienceTopologyWatcher(LettuceConnectionFactory connectionFactory,
			RedisResilienceProperties properties, ApplicationEventPublisher events,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, SuspectWatch suspectWatch) {
		RedisResilienceProperties.Topology.Refresh refresh = properties.getTopology().getRefresh();
		TopologyWatcher.Settings settings = new TopologyWatcher.Settings(refresh.getPeriod(),
				refresh.getDegradedPeriod(), refresh.getSuspectPeriod(), refresh.isHeldConnectionReads());
		return new TopologyWatcher(() -> clusterClient(connectionFactory), events, settings, Clock.systemUTC(),
				// Start once the factory has created its client, stop before it shuts it down.
				connectionFactory.getPhase() + 1, new DeploymentShapeDetector(seeds(connectionDetails.getIfAvailable())),
				suspectWatch, new SharedClusterConnection(connectionFactory));
	}

	private static List<HostAndPort> seeds(@Nullable DataRedisConnectionDetails connectionDetails) {
		DataRedisConnectionDetails.Cluster cluster = (connectionDetails != null) ? connectionDetails.getCluster() : null;
		if (cluster == null) {
			return List.of();
		}
		return cluster.getNodes().stream().map((node) -> HostAndPort.of(node.host(), node.port())).toList();
	}

	private static @Nullable RedisClusterClient clusterClient(LettuceConnectionFactory connectionFactory) {
		if (!connectionFactory.isRunning()) {
			return null;
		}
		AbstractRedisClient client = connectionFactory.getNativeClient();
		return (client instanceof RedisClusterClient clusterClient) ? clusterClient : null;
	}

}
