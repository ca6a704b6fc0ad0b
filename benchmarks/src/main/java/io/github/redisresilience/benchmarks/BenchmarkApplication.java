package io.github.redisresilience.benchmarks;

import io.netty.resolver.DefaultAddressResolverGroup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The application each Spring client runs in: Boot's auto-configuration only, one context per
 * client, told apart by their arguments (see {@link ClientKind}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BenchmarkApplication {

	/**
	 * Stock Lettuce resolves with Netty's DNS resolver, which never reads the JVM's hosts file the
	 * kit publishes its names in; with the JDK's resolver it can start at all. It changes nothing
	 * else: the JDK's lookups are not cached ({@code -Dsun.net.inetaddr.ttl=0}), as Netty's would be.
	 */
	@Bean
	@ConditionalOnProperty(name = "redis.resilience.enabled", havingValue = "false")
	ClientResourcesBuilderCustomizer jdkNameResolution() {
		return (builder) -> builder.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE);
	}

}
