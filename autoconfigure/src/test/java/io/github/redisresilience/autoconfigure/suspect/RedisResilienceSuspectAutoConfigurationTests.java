package io.github.redisresilience.autoconfigure.suspect;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceSuspectAutoConfigurationTests {

	private final ApplicationContextRunner withoutSuspects = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	private final ApplicationContextRunner contextRunner = this.withoutSuspects
		.withConfiguration(AutoConfigurations.of(RedisResilienceSuspectAutoConfiguration.class));

	@Test
	void watchesForSuspectMastersOfBootsConnectionFactory() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SuspectWatch.class));
	}

	@Test
	void topologyWatcherFollowsTheSuspectWatch() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(RedisResilienceTopologyAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(TopologyWatcher.class));
	}

	@Test
	void watchesForSuspectMastersWithoutActuator() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasSingleBean(SuspectWatch.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SuspectWatch.class));
	}

	@Test
	void topologyWatcherBacksOffWithoutTheSuspectWatch() {
		this.withoutSuspects.withConfiguration(AutoConfigurations.of(RedisResilienceTopologyAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TopologyWatcher.class));
	}

}
