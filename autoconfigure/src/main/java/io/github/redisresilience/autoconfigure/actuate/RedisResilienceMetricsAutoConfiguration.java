package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;

import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Binds the {@code redis.resilience.*} meters when a {@link MeterRegistry} exists.
 */
@AutoConfiguration(after = RedisResilienceTopologyAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ RedisClusterClient.class, MeterRegistry.class })
@ConditionalOnBean({ TopologyWatcher.class, MeterRegistry.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@Import(ClusterProbeConfiguration.class)
public final class RedisResilienceMetricsAutoConfiguration {

	@Bean
	RedisResilienceMetrics redisResilienceMetrics(TopologyWatcher watcher, SuspectWatch suspectWatch,
			ClusterProbe redisResilienceClusterProbe) {
		return new RedisResilienceMetrics(watcher, suspectWatch, redisResilienceClusterProbe, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnBean(DnsResolution.class)
	DnsResolutionMetrics redisResilienceDnsResolutionMetrics(DnsResolution dnsResolution) {
		return new DnsResolutionMetrics(dnsResolution);
	}

}
