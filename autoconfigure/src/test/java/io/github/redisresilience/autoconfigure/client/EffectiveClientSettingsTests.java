package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.EnumSet;

import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ReflectionUtils;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.dns.DnsResolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The settings the Lettuce cluster client really runs with, read from the client Spring
 * Data Redis created. They must not depend on the Spring Boot line: run on 4.0 (Lettuce
 * 6.8) by default and on 4.1 (Lettuce 7) with {@code -Pboot41}, where Lettuce's own
 * defaults differ (every adaptive trigger on with a 5 s rate limit, keepalive on).
 */
class EffectiveClientSettingsTests {

	private static final String CLUSTER_NODES = "spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
						RedisResilienceClientAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues(CLUSTER_NODES);

	@Test
	void clientRunsWithTheStartersDefaults() {
		this.contextRunner.run((context) -> {
			ClusterClientOptions options = clientOptions(context);
			ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
			// The starter reads the topology over a held connection every 10 s instead.
			assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
			assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.MOVED_REDIRECT,
					RefreshTrigger.ASK_REDIRECT, RefreshTrigger.UNKNOWN_NODE);
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.getRefreshTriggersReconnectAttempts()).isEqualTo(2);
			assertThat(refresh.useDynamicRefreshSources()).isTrue();
			assertThat(refresh.isCloseStaleConnections()).isTrue();
			assertThat(options.isValidateClusterNodeMembership()).isFalse();
			assertThat(options.getMaxRedirects()).isEqualTo(5);
			assertThat(options.getNodeFilter()).isInstanceOf(FailedNodeFilter.class);
			SocketOptions socket = options.getSocketOptions();
			assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(socket.isKeepAlive()).isTrue();
			assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(5));
			assertThat(socket.getKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(socket.getKeepAlive().getCount()).isEqualTo(3);
			assertThat(socket.isEnableTcpUserTimeout())
				.isEqualTo(ResilienceClientOptionsCustomizer.tcpUserTimeoutSupported());
		});
	}

	@Test
	void clientRunsLettucesPeriodicRefreshWhenHeldConnectionReadsAreOff() {
		this.contextRunner.withPropertyValues("redis.resilience.topology.refresh.held-connection-reads=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refreshOptions(context);
				assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void clientRunsLettucesPeriodicRefreshWithBootsPeriodWhenBootsPeriodIsSet() {
		this.contextRunner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=30s")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refreshOptions(context);
				assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void clientRunsWithExactlyTheConfiguredAdaptiveTriggers() {
		this.contextRunner
			.withPropertyValues("redis.resilience.topology.refresh.adaptive-triggers=moved-redirect,uncovered-slot")
			.run((context) -> assertThat(refreshOptions(context).getAdaptiveRefreshTriggers())
				.containsExactlyInAnyOrder(RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.UNCOVERED_SLOT));
	}

	@Test
	void clientRunsWithoutAdaptiveTriggersWhenNoneAreConfigured() {
		this.contextRunner.withPropertyValues("redis.resilience.topology.refresh.adaptive-triggers=")
			.run((context) -> assertThat(refreshOptions(context).getAdaptiveRefreshTriggers()).isEmpty());
	}

	@Test
	void bootsAdaptivePropertyTurnsOnEveryTriggerWhereBootBindsIt() {
		assumeTrue(bootBindsAdaptive(), "Spring Boot 4.1 removed spring.data.redis.lettuce.cluster.refresh.adaptive");
		this.contextRunner
			.withPropertyValues("redis.resilience.topology.refresh.adaptive-triggers=moved-redirect",
					"spring.data.redis.lettuce.cluster.refresh.adaptive=true")
			.run((context) -> assertThat(refreshOptions(context).getAdaptiveRefreshTriggers())
				.isEqualTo(EnumSet.allOf(RefreshTrigger.class)));
	}

	@Test
	void bootsRemovedAdaptivePropertyChangesNothingWhereBootNoLongerBindsIt() {
		assumeFalse(bootBindsAdaptive(), "Spring Boot 4.0 binds spring.data.redis.lettuce.cluster.refresh.adaptive");
		this.contextRunner
			.withPropertyValues("redis.resilience.topology.refresh.adaptive-triggers=moved-redirect",
					"spring.data.redis.lettuce.cluster.refresh.adaptive=true")
			.run((context) -> assertThat(refreshOptions(context).getAdaptiveRefreshTriggers())
				.containsExactly(RefreshTrigger.MOVED_REDIRECT));
	}

	/** Spring Boot 4.0 has the property, 4.1 does not: the line this test runs on decides. */
	private static boolean bootBindsAdaptive() {
		return ReflectionUtils.findMethod(DataRedisProperties.Lettuce.Cluster.Refresh.class, "isAdaptive") != null;
	}

	@Test
	void clientRunsWithTheConfiguredAdaptiveRateLimit() {
		this.contextRunner.withPropertyValues("redis.resilience.topology.refresh.adaptive-rate-limit=7s")
			.run((context) -> assertThat(refreshOptions(context).getAdaptiveRefreshTimeout())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void clientRunsWithoutKeepaliveWhenItIsTurnedOff() {
		this.contextRunner.withPropertyValues("redis.resilience.socket.keepalive.enabled=false")
			.run((context) -> assertThat(clientOptions(context).getSocketOptions().isKeepAlive()).isFalse());
	}

	@Test
	void clientValidatesMembershipWhenConfigured() {
		this.contextRunner.withPropertyValues("redis.resilience.topology.validate-membership=true")
			.run((context) -> assertThat(clientOptions(context).isValidateClusterNodeMembership()).isTrue());
	}

	@Test
	void clientResourcesUseTheStartersResolvers() {
		this.contextRunner
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.5:6379",
					"redis.resilience.remap.rules[0].to=redis-0.example.com:6379")
			.run((context) -> {
				ClientResources resources = client(context).getResources();
				assertThat(resources.addressResolverGroup())
					.isSameAs(context.getBean(DnsResolution.class).addressResolverGroup());
				assertThat(resources.socketAddressResolver()).isInstanceOf(MappingSocketAddressResolver.class);
			});
	}

	private static RedisClusterClient client(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		Object client = context.getBean(LettuceConnectionFactory.class).getNativeClient();
		assertThat(client).isInstanceOf(RedisClusterClient.class);
		return (RedisClusterClient) client;
	}

	private static ClusterClientOptions clientOptions(AssertableApplicationContext context) {
		assertThat(client(context).getOptions()).isInstanceOf(ClusterClientOptions.class);
		return (ClusterClientOptions) client(context).getOptions();
	}

	private static ClusterTopologyRefreshOptions refreshOptions(AssertableApplicationContext context) {
		return clientOptions(context).getTopologyRefreshOptions();
	}

}
