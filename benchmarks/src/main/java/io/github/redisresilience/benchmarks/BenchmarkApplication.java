package io.github.redisresilience.benchmarks;

import io.netty.resolver.DefaultAddressResolverGroup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

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

	/**
	 * The fleet-cost suite counts each Lettuce client's topology reads and handshakes on the client
	 * itself. Applied last, so that no other customizer's recorder replaces it; off in the other
	 * suites, whose latencies it would add a wrapper per command to.
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.count-client-commands", havingValue = "true")
	ClientSideCounts clientSideCounts() {
		return new ClientSideCounts();
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	@ConditionalOnProperty(name = "bench.count-client-commands", havingValue = "true")
	ClientResourcesBuilderCustomizer countClientCommands(ClientSideCounts counts) {
		return (builder) -> builder.commandLatencyRecorder(counts);
	}

}
