package io.github.redisresilience.autoconfigure.topology;

import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.suspect.RedisResilienceSuspectAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceTopologyAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class, RedisResilienceSuspectAutoConfiguration.class,
				RedisResilienceTopologyAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void watchesTheTopologyOfBootsConnectionFactory() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TopologyWatcher.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TopologyWatcher.class));
	}

	@Test
	void backsOffWithoutLettuce() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClusterClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TopologyWatcher.class));
	}

	@Test
	void backsOffWithoutALettuceConnectionFactory() {
		this.contextRunner.withPropertyValues("spring.data.redis.client-type=jedis")
			.withClassLoader(new FilteredClassLoader("redis.clients.jedis"))
			.run((context) -> assertThat(context).doesNotHaveBean(TopologyWatcher.class));
	}

}
