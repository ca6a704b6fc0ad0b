package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;

import io.lettuce.core.cluster.RedisClusterClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Contributes the {@code redisCluster} health component: whether every slot is served by a master
 * the client can reach. Put it in the readiness group with
 * {@code management.endpoint.health.group.readiness.include=readinessState,redisCluster}; turn it
 * off with {@code management.health.redis-cluster.enabled=false}.
 */
@AutoConfiguration(after = RedisResilienceTopologyAutoConfiguration.class)
@ConditionalOnClass({ RedisClusterClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(TopologyWatcher.class)
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("redis-cluster")
@Import(ClusterProbeConfiguration.class)
public final class RedisResilienceHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisClusterHealthIndicator")
	RedisClusterHealthIndicator redisClusterHealthIndicator(ClusterProbe redisResilienceClusterProbe,
			TopologyWatcher watcher, SuspectWatch suspectWatch) {
		return new RedisClusterHealthIndicator(redisResilienceClusterProbe, watcher, suspectWatch,
				Clock.systemUTC());
	}

}
