package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.EnumSet;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.AdaptiveTrigger;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.ReconnectDelay;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.dns.DnsResolverType;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.remap.FoldPolicy;
import io.github.redisresilience.autoconfigure.remap.RemapSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisResilienceAutoConfiguration}. No Redis server is needed: the
 * connection factory is created but never asked for a connection, so the client options
 * and resources it was configured with can be inspected.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisResilienceClientAutoConfigurationTests {

	private static final String CLUSTER_NODES = "spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisResilienceAutoConfiguration.class, RedisResilienceClientAutoConfiguration.class,
					DataRedisAutoConfiguration.class));

	@Test
	void bindsDefaults() {
		this.contextRunner.run((context) -> {
			RedisResilienceProperties properties = context.getBean(RedisResilienceProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getRemap().getRules()).isEmpty();
			assertThat(properties.getRemap().getProxyEndpoint()).isNull();
			assertThat(properties.getRemap().getOnFold()).isEqualTo(FoldPolicy.FAIL);
			assertThat(properties.getDns().getResolver()).isEqualTo(DnsResolverType.NETTY);
			assertThat(properties.getDns().getMaxTtl()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getDns().getNegativeTtl()).isEqualTo(Duration.ofSeconds(1));
			RedisResilienceProperties.Topology.Refresh refresh = properties.getTopology().getRefresh();
			assertThat(refresh.getPeriod()).isEqualTo(Duration.ofSeconds(10));
			assertThat(refresh.getAdaptiveTriggers()).isEqualTo(EnumSet.of(AdaptiveTrigger.MOVED_REDIRECT,
					AdaptiveTrigger.ASK_REDIRECT, AdaptiveTrigger.UNKNOWN_NODE));
			assertThat(refresh.isHeldConnectionReads()).isTrue();
			assertThat(refresh.getSuspectPeriod()).isEqualTo(Duration.ofMillis(100));
			assertThat(refresh.getAdaptiveRateLimit()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.getReconnectAttempts()).isEqualTo(2);
			assertThat(refresh.getDynamicSources()).as("unset: decided by the seeds").isNull();
			assertThat(refresh.isCloseStaleConnections()).isTrue();
			assertThat(refresh.getDegradedPeriod()).isEqualTo(Duration.ofMillis(500));
			assertThat(properties.getTopology().isExcludeFailedNodes()).isTrue();
			assertThat(properties.getTopology().isValidateMembership()).isFalse();
			assertThat(properties.getTopology().getMaxRedirects()).isEqualTo(5);
			assertThat(properties.getTimeouts().getCommand()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getTimeouts().getConnect()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getSocket().getKeepalive().isEnabled()).isTrue();
			assertThat(properties.getSocket().getKeepalive().getIdle()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getSocket().getKeepalive().getInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getSocket().getKeepalive().getCount()).isEqualTo(3);
			assertThat(properties.getSocket().getTcpUserTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getReconnect().getDelay()).isEqualTo(ReconnectDelay.FULL_JITTER);
			assertThat(properties.getReconnect().getMin()).isEqualTo(Duration.ofMillis(10));
			assertThat(properties.getReconnect().getMax()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getReconnect().getBase()).isEqualTo(2);
		});
	}

	@Test
	void bindsKebabCasePropertiesIncludingRulesAndTriggerSets() {
		this.contextRunner
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.5",
					"redis.resilience.remap.rules[0].to=redis-0.example", "redis.resilience.remap.on-fold=warn",
					"redis.resilience.dns.resolver=jdk",
					"redis.resilience.topology.refresh.adaptive-triggers=moved-redirect,uncovered-slot",
					"redis.resilience.reconnect.delay=decorrelated-jitter", "redis.resilience.socket.tcp-user-timeout=0")
			.run((context) -> {
				RedisResilienceProperties properties = context.getBean(RedisResilienceProperties.class);
				assertThat(properties.getRemap().getRules()).singleElement()
					.satisfies((rule) -> assertThat(rule.getTo()).isEqualTo("redis-0.example"));
				assertThat(properties.getRemap().getOnFold()).isEqualTo(FoldPolicy.WARN);
				assertThat(properties.getDns().getResolver()).isEqualTo(DnsResolverType.JDK);
				assertThat(properties.getTopology().getRefresh().getAdaptiveTriggers())
					.containsExactlyInAnyOrder(AdaptiveTrigger.MOVED_REDIRECT, AdaptiveTrigger.UNCOVERED_SLOT);
				assertThat(properties.getReconnect().getDelay()).isEqualTo(ReconnectDelay.DECORRELATED_JITTER);
				assertThat(properties.getSocket().getTcpUserTimeout()).isZero();
			});
	}

	@Test
	void enabledFalseTurnsEverythingOff() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false", CLUSTER_NODES).run((context) -> {
			assertThat(context).doesNotHaveBean(RedisResilienceProperties.class)
				.doesNotHaveBean(AddressRemapper.class)
				.doesNotHaveBean(DnsResolution.class)
				.doesNotHaveBean(ResilienceClientResourcesCustomizer.class)
				.doesNotHaveBean(ResilienceClientOptionsCustomizer.class)
				.doesNotHaveBean(ResilienceCommandTimeoutCustomizer.class);
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(clientOptions(context)).isInstanceOfSatisfying(ClusterClientOptions.class,
					(options) -> assertThat(options.getMaxRedirects()).isEqualTo(ClusterClientOptions.DEFAULT_MAX_REDIRECTS));
		});
	}

	@Test
	void backsOffWhenLettuceClusterClientIsNotOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClusterClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisResilienceProperties.class)
				.doesNotHaveBean(ResilienceClientOptionsCustomizer.class));
	}

	@Test
	void commandTimeoutComesFromResilienceWhenSpringDataRedisTimeoutIsNotSet() {
		this.contextRunner.run((context) -> assertThat(clientConfiguration(context).getCommandTimeout())
			.isEqualTo(Duration.ofSeconds(2)));
	}

	@Test
	void springDataRedisTimeoutWinsOverResilienceCommandTimeout() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.timeout=7s", "redis.resilience.timeouts.command=3s")
			.run((context) -> assertThat(clientConfiguration(context).getCommandTimeout())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void connectTimeoutComesFromResilienceWhenSpringDataRedisConnectTimeoutIsNotSet() {
		this.contextRunner.run((context) -> assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
			.isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void springDataRedisConnectTimeoutWinsOverResilienceConnectTimeout() {
		this.contextRunner.withPropertyValues("spring.data.redis.connect-timeout=4s")
			.run((context) -> assertThat(clientOptions(context).getSocketOptions().getConnectTimeout())
				.isEqualTo(Duration.ofSeconds(4)));
	}

	@Test
	void keepaliveIsAppliedToSocketOptions() {
		this.contextRunner.withPropertyValues("redis.resilience.socket.keepalive.idle=7s").run((context) -> {
			SocketOptions.KeepAliveOptions keepAlive = clientOptions(context).getSocketOptions().getKeepAlive();
			assertThat(keepAlive.isEnabled()).isTrue();
			assertThat(keepAlive.getIdle()).isEqualTo(Duration.ofSeconds(7));
			assertThat(keepAlive.getInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(keepAlive.getCount()).isEqualTo(3);
		});
	}

	@Test
	void keepaliveCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("redis.resilience.socket.keepalive.enabled=false")
			.run((context) -> assertThat(clientOptions(context).getSocketOptions().isKeepAlive()).isFalse());
	}

	@Test
	void tcpUserTimeoutIsAppliedOnlyWhereTheTransportSupportsIt() {
		this.contextRunner.run((context) -> assertThat(clientOptions(context).getSocketOptions().isEnableTcpUserTimeout())
			.isEqualTo(ResilienceClientOptionsCustomizer.tcpUserTimeoutSupported()));
	}

	@Test
	void tcpUserTimeoutOfZeroTurnsItOff() {
		this.contextRunner.withPropertyValues("redis.resilience.socket.tcp-user-timeout=0")
			.run((context) -> assertThat(clientOptions(context).getSocketOptions().isEnableTcpUserTimeout()).isFalse());
	}

	@Test
	void fullRefreshesReadTheSeedsOnlyWhenEverySeedIsAHostName() {
		this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=redis-headless:6379,redis:6379")
			.run((context) -> assertThat(dynamicSources(context)).isFalse());
	}

	@Test
	void fullRefreshesReadEveryNodeWhenASeedIsAnIpAddress() {
		this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=redis-headless:6379,[::1]:7000")
			.run((context) -> assertThat(dynamicSources(context)).isTrue());
	}

	@Test
	void fullRefreshesReadEveryNodeWithoutHeldConnectionReads() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=redis-headless:6379",
					"redis.resilience.topology.refresh.held-connection-reads=false")
			.run((context) -> assertThat(dynamicSources(context)).isTrue());
	}

	@Test
	void dynamicSourcesAsSetWin() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=redis-headless:6379",
					"redis.resilience.topology.refresh.dynamic-sources=true")
			.run((context) -> assertThat(dynamicSources(context)).isTrue());
		this.contextRunner
			.withPropertyValues(CLUSTER_NODES, "redis.resilience.topology.refresh.dynamic-sources=false")
			.run((context) -> assertThat(dynamicSources(context)).isFalse());
	}

	private static boolean dynamicSources(AssertableApplicationContext context) {
		return clusterClientOptions(context).getTopologyRefreshOptions().useDynamicRefreshSources();
	}

	@Test
	void clusterOptionsAreAppliedWhenClusterNodesAreSet() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES).run((context) -> {
			assertThat(clientOptions(context)).isInstanceOfSatisfying(ClusterClientOptions.class, (options) -> {
				ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
				assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(
						RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.ASK_REDIRECT, RefreshTrigger.UNKNOWN_NODE);
				assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(refresh.getRefreshTriggersReconnectAttempts()).isEqualTo(2);
				assertThat(refresh.useDynamicRefreshSources()).isTrue();
				assertThat(refresh.isCloseStaleConnections()).isTrue();
				assertThat(options.isValidateClusterNodeMembership()).isFalse();
				assertThat(options.getMaxRedirects()).isEqualTo(5);
				assertThat(options.getNodeFilter()).isInstanceOf(FailedNodeFilter.class);
			});
		});
	}

	@Test
	void adaptiveTriggersCanBeNarrowed() {
		this.contextRunner
			.withPropertyValues(CLUSTER_NODES, "redis.resilience.topology.refresh.adaptive-triggers=moved-redirect")
			.run((context) -> assertThat(clusterClientOptions(context).getTopologyRefreshOptions()
				.getAdaptiveRefreshTriggers()).containsExactly(RefreshTrigger.MOVED_REDIRECT));
	}

	@Test
	void failedNodeFilterCanBeTurnedOff() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES, "redis.resilience.topology.exclude-failed-nodes=false")
			.run((context) -> assertThat(clusterClientOptions(context).getNodeFilter())
				.isNotInstanceOf(FailedNodeFilter.class));
	}

	@Test
	void springDataRedisRefreshPeriodWinsOverResilienceRefreshPeriod() {
		this.contextRunner.withPropertyValues(CLUSTER_NODES, "spring.data.redis.lettuce.cluster.refresh.period=30s")
			.run((context) -> assertThat(clusterClientOptions(context).getTopologyRefreshOptions().getRefreshPeriod())
				.isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void clusterOptionsAreNotAppliedWithoutClusterNodesAndOneWarningSaysWhy(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(clientOptions(context)).isNotInstanceOf(ClusterClientOptions.class);
			assertThat(output).containsOnlyOnce("spring.data.redis.cluster.nodes is not set");
		});
	}

	@Test
	void reconnectDelayIsAFreshJitterDelayForEachConnection() {
		this.contextRunner.run((context) -> {
			ClientResources resources = context.getBean(ClientResources.class);
			assertThat(resources.reconnectDelay()).isNotSameAs(resources.reconnectDelay());
			assertThat(resources.reconnectDelay().getClass().getSimpleName()).isEqualTo("FullJitterDelay");
		});
	}

	@Test
	void reconnectDelayCanBeExponential() {
		this.contextRunner.withPropertyValues("redis.resilience.reconnect.delay=exponential")
			.run((context) -> assertThat(
					context.getBean(ClientResources.class).reconnectDelay().getClass().getSimpleName())
				.isEqualTo("ExponentialDelay"));
	}

	@Test
	void remapRulesInstallAMappingSocketAddressResolver() {
		this.contextRunner
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.5",
					"redis.resilience.remap.rules[0].to=redis-0.example")
			.run((context) -> assertThat(context.getBean(ClientResources.class).socketAddressResolver())
				.isInstanceOf(MappingSocketAddressResolver.class));
	}

	@Test
	void withoutRemapRulesTheSocketAddressResolverIsLettucesDefault() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ClientResources.class).socketAddressResolver())
			.isNotInstanceOf(MappingSocketAddressResolver.class));
	}

	@Test
	void dnsResolverIsInstalledInTheClientResources() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ClientResources.class).addressResolverGroup())
			.isSameAs(context.getBean(DnsResolution.class).addressResolverGroup()));
	}

	@Test
	void backsOffFromClientResourcesWhenTheApplicationDefinesItsOwn() {
		this.contextRunner.withUserConfiguration(OwnClientResourcesConfiguration.class)
			.withPropertyValues(CLUSTER_NODES)
			.run((context) -> {
				assertThat(context).hasSingleBean(ClientResources.class);
				assertThat(clientConfiguration(context).getClientResources())
					.containsSame(context.getBean("ownClientResources", ClientResources.class));
				assertThat(context.getBean(ResilienceClientResourcesCustomizer.class).isApplied()).isFalse();
			});
	}

	@Test
	void clientOptionsAndTimeoutsStillApplyWithTheApplicationsOwnClientResources() {
		this.contextRunner.withUserConfiguration(OwnClientResourcesConfiguration.class)
			.withPropertyValues(CLUSTER_NODES)
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(clusterClientOptions(context).getMaxRedirects()).isEqualTo(5);
			});
	}

	@Test
	void warnsThatRemapRulesAreNotAppliedWithTheApplicationsOwnClientResources(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(OwnClientResourcesConfiguration.class)
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.5",
					"redis.resilience.remap.rules[0].to=redis-0.example")
			.run((context) -> assertThat(output).contains("remap rules are not applied")
				.contains("own ClientResources bean"));
	}

	@Test
	void logsOneSummaryOfTheEffectiveSettingsAtStartup(CapturedOutput output) {
		this.contextRunner.withPropertyValues(CLUSTER_NODES, "spring.data.redis.password=secret-password")
			.run((context) -> {
				assertThat(output).containsOnlyOnce("Redis resilience: command-timeout=2s, connect-timeout=1s");
				assertThat(output).contains("topology-reads=10s, lettuce-periodic-refresh=off").contains("reconnect=full-jitter 10ms..1s");
				assertThat(output).doesNotContain("secret-password");
			});
	}

	@Test
	void backsOffFromTheAddressRemapperWhenTheApplicationDefinesOne() {
		this.contextRunner.withUserConfiguration(OwnAddressRemapperConfiguration.class)
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.0/24",
					"redis.resilience.remap.rules[0].to=redis.example:6379")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(AddressRemapper.class)
				.isSameAs(context.getBean("ownRemapper")));
	}

	private static LettuceClientConfiguration clientConfiguration(AssertableApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
	}

	private static ClientOptions clientOptions(AssertableApplicationContext context) {
		return clientConfiguration(context).getClientOptions().orElseThrow();
	}

	private static ClusterClientOptions clusterClientOptions(AssertableApplicationContext context) {
		return (ClusterClientOptions) clientOptions(context);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClientResourcesConfiguration {

		@Bean(destroyMethod = "shutdown")
		ClientResources ownClientResources() {
			return DefaultClientResources.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAddressRemapperConfiguration {

		@Bean
		AddressRemapper ownRemapper() {
			return AddressRemapper.from(RemapSettings.NONE);
		}

	}

}
