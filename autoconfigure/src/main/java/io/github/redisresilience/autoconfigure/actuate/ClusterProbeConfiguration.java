package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * The node probe the health indicator, the endpoint and the metrics share, so that metrics read
 * what the last health check found instead of probing on each scrape.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisResilienceActuateProperties.class)
class ClusterProbeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterProbe redisResilienceClusterProbe(TopologyWatcher watcher, AddressRemapper remapper,
			RedisResilienceActuateProperties properties, ApplicationEventPublisher events) {
		return new ClusterProbe(watcher, remapper, properties.getProbeTimeout(), Clock.systemUTC(), events);
	}

}
