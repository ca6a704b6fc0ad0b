package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Bounds the command timeout with {@code redis.resilience.timeouts.command} unless
 * {@code spring.data.redis.timeout} is set. Lettuce's default of 60 seconds would keep a
 * command waiting on a black-holed address for a minute.
 */
final class ResilienceCommandTimeoutCustomizer implements LettuceClientConfigurationBuilderCustomizer, Ordered {

	private final Duration commandTimeout;

	private final Supplier<@Nullable DataRedisProperties> bootProperties;

	ResilienceCommandTimeoutCustomizer(Duration commandTimeout, Supplier<@Nullable DataRedisProperties> bootProperties) {
		this.commandTimeout = commandTimeout;
		this.bootProperties = bootProperties;
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		if (bootTimeout() == null) {
			builder.commandTimeout(this.commandTimeout);
		}
	}

	/**
	 * Return the command timeout in effect.
	 * @return Spring Boot's timeout if set, otherwise ours
	 */
	Duration effectiveTimeout() {
		Duration bootTimeout = bootTimeout();
		return (bootTimeout != null) ? bootTimeout : this.commandTimeout;
	}

	private @Nullable Duration bootTimeout() {
		DataRedisProperties boot = this.bootProperties.get();
		return (boot != null) ? boot.getTimeout() : null;
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
