package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.NettyCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties;

/**
 * Auto-configuration of the command retry, below Spring Data where Lettuce dispatches commands
 * ({@link ChannelCommandRetry}, {@link AcquisitionRetry}): Spring Boot's
 * {@link LettuceConnectionFactory} and its connections stay exactly Spring Data's, and commands that
 * failed for a transient reason are retried, so {@code RedisTemplate},
 * {@code StringRedisTemplate}, {@code ReactiveRedisTemplate}, Spring Cache and Spring Session
 * ride through node moves and failovers without code changes.
 * <p>
 * What is retried:
 * <ul>
 * <li>failures where the command certainly did not run (no connection, a refused connect, no
 * node for its slot, CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN, READONLY): every command;</li>
 * <li>ambiguous failures (a timeout, a connection lost after the command was sent): read-only
 * and idempotent commands by default, see {@code redis.resilience.retry.ambiguous};</li>
 * <li>never: transactions, commands flushed as a batch (a pipeline), subscriptions, blocking
 * commands (BLPOP, XREAD BLOCK...) and cluster administration.</li>
 * </ul>
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class })
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisResilienceRetryProperties.class)
@ImportRuntimeHints(RetryRuntimeHints.class)
public final class RedisResilienceRetryAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RedisResilienceRetryAutoConfiguration.class);

	/**
	 * Lettuce's replay of in-flight commands is a retry of its own, below ours: it is kept
	 * under control whether or not commands are retried here. Applied to the client resources
	 * by the core auto-configuration, which collects the {@link NettyCustomizer} beans.
	 */
	@Bean
	ReplayGuard redisResilienceReplayGuard(RedisResilienceRetryProperties properties) {
		return new ReplayGuard(properties.getReplay());
	}

	/**
	 * The delivery each command family gets when its outcome is unknown, logged once at
	 * startup and offered to the actuator parts.
	 */
	@Bean
	DeliveryPolicy redisResilienceDeliveryPolicy(RedisResilienceRetryProperties properties) {
		DeliveryPolicy policy = DeliveryPolicy.of(properties);
		logger.info("Redis commands whose outcome is unknown (timeout, connection lost after sending) are re-sent: "
				+ policy);
		return policy;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "redis.resilience.retry.enabled", matchIfMissing = true)
	static class CommandRetryConfiguration {

		/**
		 * The per-attempt timeout is the command timeout as configured without retries
		 * ({@code spring.data.redis.timeout}, else {@code redis.resilience.timeouts.command}).
		 */
		@Bean
		AttemptTimeouts redisResilienceAttemptTimeouts(RedisResilienceRetryProperties properties,
				RedisResilienceProperties resilience, ObjectProvider<DataRedisProperties> dataRedisProperties) {
			DataRedisProperties boot = dataRedisProperties.getIfAvailable();
			Duration attempt = (boot != null && boot.getTimeout() != null) ? boot.getTimeout()
					: resilience.getTimeouts().getCommand();
			return new AttemptTimeouts(attempt, properties.getBudget());
		}

		@Bean
		ChannelCommandRetry redisResilienceCommandRetry(RedisResilienceRetryProperties properties,
				AttemptTimeouts timeouts, ObjectProvider<RetryMetrics> metrics, ApplicationEventPublisher events) {
			logger.info("Redis command retry: up to " + properties.getMaxAttempts() + " attempts within "
					+ properties.getBudget().toMillis() + "ms, backoff " + properties.getInitialBackoff().toMillis()
					+ "ms x" + properties.getMultiplier() + " up to " + properties.getMaxBackoff().toMillis()
					+ "ms, jitter " + properties.getJitter() + ", ambiguous failures retried for "
					+ properties.getAmbiguous().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " commands");
			if (!properties.getExactlyOnce().isEmpty()) {
				logger.info("Redis commands run exactly once: " + properties.getExactlyOnce() + ", tokens kept "
						+ properties.getExactlyOnceTtl().toMillis() + "ms");
			}
			return new ChannelCommandRetry(properties, metrics.getIfAvailable(() -> RetryMetrics.NONE),
					timeouts, events::publishEvent);
		}

		/**
		 * Retries a first attempt that cannot reach a channel; connection handshakes and topology
		 * reads keep the per-attempt timeout.
		 */
		@Bean
		static ClusterClientPreparer redisResilienceClusterClientPreparer(ObjectProvider<AttemptTimeouts> timeouts,
				ObjectProvider<ChannelCommandRetry> retry) {
			return new ClusterClientPreparer(timeouts, retry);
		}

		/**
		 * Each later attempt gets its own timeout from Lettuce; a first write none once the
		 * retry times routed commands out itself, else the overall deadline.
		 */
		@Bean
		LettuceClientOptionsBuilderCustomizer redisResilienceAttemptTimeoutOptions(AttemptTimeouts timeouts) {
			return (builder) -> builder.timeoutOptions(timeouts.toOptions());
		}

		/**
		 * Spring Data waits for a blocking command as long as its command timeout: the caller
		 * waits for the retries, so it becomes the overall deadline.
		 */
		@Bean
		OverallDeadlineCustomizer redisResilienceOverallDeadline(AttemptTimeouts timeouts) {
			return new OverallDeadlineCustomizer(timeouts.overallDeadline());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "redis.resilience.retry.enabled", matchIfMissing = true)
	static class RetryMetricsConfiguration {

		@Bean
		MicrometerRetryMetrics redisResilienceRetryMetrics(ObjectProvider<MeterRegistry> registry) {
			return new MicrometerRetryMetrics(registry);
		}

	}

}
