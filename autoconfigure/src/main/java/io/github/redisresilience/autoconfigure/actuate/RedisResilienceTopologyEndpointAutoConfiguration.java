package io.github.redisresilience.autoconfigure.actuate;

import java.time.Duration;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.retry.DeliveryPolicy;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Contributes the {@code redistopology} endpoint when it is available (exposed and not
 * switched off); its refresh operation stays closed unless
 * {@code management.endpoint.redistopology.access=unrestricted}.
 */
@AutoConfiguration(after = RedisResilienceTopologyAutoConfiguration.class)
@ConditionalOnClass({ RedisClusterClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(TopologyWatcher.class)
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(RedisTopologyEndpoint.class)
@Import(ClusterProbeConfiguration.class)
public final class RedisResilienceTopologyEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisTopologyEndpoint redisTopologyEndpoint(ClusterProbe redisResilienceClusterProbe, TopologyWatcher watcher,
			SuspectWatch suspectWatch,
			RedisResilienceProperties properties, RedisResilienceActuateProperties actuateProperties,
			ObjectProvider<DataRedisProperties> dataRedisProperties, ObjectProvider<DeliveryPolicy> deliveryPolicy) {
		// Only the command timeout is read from Boot's properties: the rest may hold credentials.
		return new RedisTopologyEndpoint(redisResilienceClusterProbe, watcher, suspectWatch, properties,
				() -> commandTimeout(dataRedisProperties.getIfAvailable()), actuateProperties.getRefreshTimeout(),
				deliveryPolicy::getIfAvailable);
	}

	private static @Nullable Duration commandTimeout(@Nullable DataRedisProperties dataRedisProperties) {
		return (dataRedisProperties != null) ? dataRedisProperties.getTimeout() : null;
	}

}
