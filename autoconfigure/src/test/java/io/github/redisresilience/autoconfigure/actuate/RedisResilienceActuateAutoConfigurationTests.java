package io.github.redisresilience.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;
import io.github.redisresilience.autoconfigure.suspect.RedisResilienceSuspectAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceActuateAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				RedisResilienceSuspectAutoConfiguration.class, RedisResilienceTopologyAutoConfiguration.class,
				DataRedisAutoConfiguration.class,
				RedisResilienceHealthContributorAutoConfiguration.class,
				RedisResilienceTopologyEndpointAutoConfiguration.class, RedisResilienceMetricsAutoConfiguration.class))
		// Nothing listens on port 1: connects are refused at once.
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void contributesTheRedisClusterHealthIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisClusterHealthIndicator.class)
			.hasBean("redisClusterHealthIndicator"));
	}

	@Test
	void healthIndicatorBacksOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.redis-cluster.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOffWhenHealthIndicatorsAreOffByDefault() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOffWhenUserDefinesOneOfTheSameName() {
		this.contextRunner
			.withBean("redisClusterHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class));
	}

	@Test
	void healthIsDownWithoutCredentialsInItsDetailsWhenNoSeedAnswers() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.username=user-secret-123", "spring.data.redis.password=pw-secret-456")
			.run((context) -> {
				Health health = context.getBean(RedisClusterHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsKey("error");
				assertThat(health.getDetails().toString()).doesNotContain("user-secret-123")
					.doesNotContain("pw-secret-456");
			});
	}

	@Test
	void endpointBacksOffWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

	@Test
	void contributesTheEndpointWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redistopology")
			.run((context) -> assertThat(context).hasSingleBean(RedisTopologyEndpoint.class));
	}

	@Test
	void endpointBacksOffWhenSwitchedOff() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=redistopology",
					"management.endpoint.redistopology.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=redistopology")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisTopologyEndpoint.class));
	}

	@Test
	void endpointReadOnlyByDefault() {
		Endpoint endpoint = RedisTopologyEndpoint.class.getAnnotation(Endpoint.class);
		assertThat(endpoint.id()).isEqualTo("redistopology");
		assertThat(endpoint.defaultAccess()).isEqualTo(org.springframework.boot.actuate.endpoint.Access.READ_ONLY);
	}

	@Test
	void bindsMetricsWhenAMeterRegistryExists() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(RedisResilienceMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(RedisResilienceMetrics.class).bindTo(registry);
			assertThat(registry.find("redis.resilience.reconnect.attempts").counter()).isNotNull();
			assertThat(registry.find("redis.resilience.nodes").tag("role", "master").gauge()).isNotNull();
			assertThat(registry.find("redis.resilience.slots.uncovered").gauge()).isNotNull();
			assertThat(registry.find("redis.resilience.topology.lookups")
				.tags("kind", "held", "outcome", "unchanged")
				.functionCounter()).isNotNull();
			assertThat(registry.find("redis.resilience.topology.trouble.signs").tag("sign", "reconnect").functionCounter())
				.isNotNull();
		});
	}

	@Test
	void metricsBackOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RedisResilienceMetrics.class));
	}

	@Test
	void metricsBackOffWithoutMicrometer() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisResilienceMetrics.class));
	}

	@Test
	void everythingBacksOffWhenTheStarterIsDisabled() {
		this.contextRunner
			.withPropertyValues("redis.resilience.enabled=false",
					"management.endpoints.web.exposure.include=redistopology")
			.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class)
				.doesNotHaveBean(RedisTopologyEndpoint.class)
				.doesNotHaveBean(RedisResilienceMetrics.class)
				.doesNotHaveBean(ClusterProbe.class));
	}

	@Test
	void everythingBacksOffWithoutAClusterClient() {
		this.contextRunner.withPropertyValues("spring.data.redis.client-type=jedis")
			.withClassLoader(new FilteredClassLoader("redis.clients.jedis"))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisClusterHealthIndicator.class)
				.doesNotHaveBean(ClusterProbe.class));
	}

	@Test
	void probeTimeoutMustBePositive() {
		this.contextRunner.withPropertyValues("redis.resilience.actuate.probe-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResilienceSettingException.class)
				.hasMessageContaining("redis.resilience.actuate.probe-timeout"));
	}

	@Test
	void probeTimeoutDefaultsToTwoSeconds() {
		assertThat(new RedisResilienceActuateProperties().getProbeTimeout()).hasSeconds(2);
	}

}
