package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Auto-configuration that makes the Lettuce Redis Cluster client Spring Boot configures
 * survive nodes moving to new addresses: bounded timeouts, TCP keepalive, topology
 * refresh, a failed-node filter, reconnect backoff with jitter, a DNS resolver with capped
 * TTLs and address remapping. It only contributes through Spring Boot's customizer hooks;
 * Boot's own {@code spring.data.redis.*} properties win where both set the same thing.
 * <p>
 * When the application defines its own {@link ClientResources} bean, Spring Boot does not
 * build client resources and so does not call the client resources customizer: the
 * reconnect delay, the DNS resolver and the remap rules are then not applied (a warning is
 * logged if remap rules are configured; {@link AddressRemapper#toResolver()} and
 * {@link DnsResolution#addressResolverGroup()} are beans to apply by hand). Timeouts,
 * socket options and the cluster topology settings still apply, since they are client
 * options and client configuration, not client resources.
 */
@AutoConfiguration(after = RedisResilienceAutoConfiguration.class, before = DataRedisAutoConfiguration.class)
@ConditionalOnClass(RedisClusterClient.class)
@ConditionalOnBean({ RedisResilienceProperties.class, AddressRemapper.class, DnsResolution.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@ImportRuntimeHints(RedisResilienceRuntimeHints.class)
public final class RedisResilienceClientAutoConfiguration {

	@Bean
	ResilienceClientResourcesCustomizer redisResilienceClientResourcesCustomizer(RedisResilienceProperties properties,
			DnsResolution dnsResolution, AddressRemapper addressRemapper) {
		return new ResilienceClientResourcesCustomizer(properties.getReconnect(), dnsResolution, addressRemapper);
	}

	@Bean
	ResilienceClientOptionsCustomizer redisResilienceClientOptionsCustomizer(RedisResilienceProperties properties,
			ObjectProvider<DataRedisProperties> dataRedisProperties,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
		requireSeedNodesWhenSet(dataRedisProperties.getIfAvailable());
		return new ResilienceClientOptionsCustomizer(properties, dataRedisProperties::getIfAvailable,
				() -> seedHosts(connectionDetails.getIfAvailable()));
	}

	private static List<String> seedHosts(@Nullable DataRedisConnectionDetails connectionDetails) {
		DataRedisConnectionDetails.Cluster cluster = (connectionDetails != null) ? connectionDetails.getCluster() : null;
		return (cluster != null) ? cluster.getNodes().stream().map(DataRedisConnectionDetails.Node::host).toList()
				: List.of();
	}

	/**
	 * An empty {@code spring.data.redis.cluster.nodes} fails in Spring Boot's connection factory
	 * with no hint at the property; this customizer is created before it.
	 */
	private static void requireSeedNodesWhenSet(@Nullable DataRedisProperties boot) {
		DataRedisProperties.Cluster cluster = (boot != null) ? boot.getCluster() : null;
		if (cluster != null && cluster.getNodes() != null && cluster.getNodes().isEmpty()) {
			throw new InvalidResilienceSettingException("spring.data.redis.cluster.nodes", "", "no seed node is listed",
					"list at least one host:port of the cluster, such as the headless Service name redis-headless:6379");
		}
	}

	@Bean
	ResilienceCommandTimeoutCustomizer redisResilienceCommandTimeoutCustomizer(RedisResilienceProperties properties,
			ObjectProvider<DataRedisProperties> dataRedisProperties) {
		return new ResilienceCommandTimeoutCustomizer(properties.getTimeouts().getCommand(),
				dataRedisProperties::getIfAvailable);
	}

	/**
	 * Lettuce takes one {@link NettyCustomizer}: the unanswered-connection closer and the
	 * {@code NettyCustomizer} beans of the other concerns (the retry's replay guard) share it.
	 */
	@Bean
	ClientResourcesBuilderCustomizer redisResilienceUnansweredConnectionCloser(RedisResilienceProperties properties,
			ObjectProvider<DataRedisProperties> dataRedisProperties, ApplicationEventPublisher events,
			ObjectProvider<NettyCustomizer> nettyCustomizers) {
		Duration limit = unansweredLimit(properties, dataRedisProperties.getIfAvailable());
		List<NettyCustomizer> customizers = new ArrayList<>();
		if (!limit.isZero()) {
			customizers.add(new UnansweredConnectionCloser(limit, events::publishEvent));
		}
		customizers.addAll(nettyCustomizers.orderedStream().toList());
		if (customizers.isEmpty()) {
			return (builder) -> {
			};
		}
		// Composed with a Netty customizer the application sets: the builder holds only one.
		return new ComposingNettyCustomizer((customizers.size() == 1) ? customizers.get(0)
				: new ComposingNettyCustomizer.Composite(List.copyOf(customizers)));
	}

	/** Never shorter than the command timeout in effect, or slow commands would lose their connection. */
	private static Duration unansweredLimit(RedisResilienceProperties properties,
			@Nullable DataRedisProperties dataRedisProperties) {
		Duration configured = properties.getTimeouts().getUnanswered();
		if (configured != null) {
			return configured;
		}
		Duration bootTimeout = (dataRedisProperties != null) ? dataRedisProperties.getTimeout() : null;
		return (bootTimeout != null) ? bootTimeout : properties.getTimeouts().getCommand();
	}

	@Bean
	ResilienceSettingsReport redisResilienceSettingsReport(RedisResilienceProperties properties,
			ResilienceClientResourcesCustomizer resourcesCustomizer, ResilienceClientOptionsCustomizer optionsCustomizer,
			ResilienceCommandTimeoutCustomizer timeoutCustomizer, DnsResolution dnsResolution,
			AddressRemapper addressRemapper) {
		return new ResilienceSettingsReport(properties, resourcesCustomizer, optionsCustomizer, timeoutCustomizer,
				dnsResolution, addressRemapper);
	}

}
