package io.github.redisresilience.autoconfigure;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Auto-configuration of the starter's settings: binds and validates
 * {@code redis.resilience.*} ({@link RedisResilienceProperties}) and builds what the other
 * auto-configurations share from them, the {@link AddressRemapper} and the
 * {@link DnsResolution}. Each concern is wired by its own auto-configuration, in its own
 * package, ordered after this one: {@code client} (Lettuce's options and resources),
 * {@code startup} (fail-fast checks), {@code topology}, {@code suspect}, {@code retry},
 * {@code actuate} and {@code logging}.
 * <p>
 * When the application defines its own {@link ClientResources} bean, Spring Boot does not
 * build client resources: apply {@link AddressRemapper#toResolver()} and
 * {@link DnsResolution#addressResolverGroup()} (both beans) to them by hand.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass(RedisClusterClient.class)
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisResilienceProperties.class)
public final class RedisResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AddressRemapper redisResilienceAddressRemapper(RedisResilienceProperties properties) {
		return AddressRemapper.from(properties.getRemap().settings());
	}

	@Bean
	@ConditionalOnMissingBean
	DnsResolution redisResilienceDnsResolution(RedisResilienceProperties properties) {
		return DnsResolution.from(properties.getDns().settings());
	}

}
