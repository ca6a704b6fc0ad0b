package io.github.redisresilience.autoconfigure.logging;

import java.time.Clock;
import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;

/**
 * Summarises Lettuce's reconnect warnings, which {@link LettuceLogLevels} turns down.
 */
@AutoConfiguration(after = { RedisResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class,
		TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass({ RedisClusterClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "redis.resilience.logging.fold-lettuce-warnings", matchIfMissing = true)
public final class RedisResilienceLoggingAutoConfiguration {

	/** A reconnect to a black-holed address fails every connect timeout plus backoff, about 2 s apart. */
	private static final Duration QUIET = Duration.ofSeconds(3);

	@Bean
	ReconnectTroubleLog redisResilienceReconnectTroubleLog(LettuceConnectionFactory connectionFactory,
			ObjectProvider<SimpleAsyncTaskSchedulerBuilder> schedulerBuilder) {
		// Boot's builder carries spring.task.scheduling.* and virtual threads when they are enabled.
		SimpleAsyncTaskSchedulerBuilder builder = schedulerBuilder.getIfAvailable(SimpleAsyncTaskSchedulerBuilder::new)
			.threadNamePrefix("redis-resilience-log-");
		// Start once the factory has created its client, stop before it shuts it down.
		return new ReconnectTroubleLog(() -> client(connectionFactory), builder::build, QUIET, Clock.systemUTC(),
				connectionFactory.getPhase() + 1);
	}

	private static @Nullable AbstractRedisClient client(LettuceConnectionFactory connectionFactory) {
		return connectionFactory.isRunning() ? connectionFactory.getNativeClient() : null;
	}

}
