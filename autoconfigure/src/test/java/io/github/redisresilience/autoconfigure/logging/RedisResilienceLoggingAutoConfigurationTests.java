package io.github.redisresilience.autoconfigure.logging;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceLoggingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceLoggingAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void summarisesReconnectTroubleOfBootsClient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ReconnectTroubleLog.class);
			assertThat(context.getBean(ReconnectTroubleLog.class).isRunning()).isTrue();
		});
	}

	@Test
	void backsOffWhenFoldingIsOff() {
		this.contextRunner.withPropertyValues("redis.resilience.logging.fold-lettuce-warnings=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReconnectTroubleLog.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReconnectTroubleLog.class));
	}

}
