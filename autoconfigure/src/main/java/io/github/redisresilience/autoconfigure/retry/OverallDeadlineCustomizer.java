package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Sets Spring Data's command timeout to the overall deadline of a retried command. Spring Data
 * waits for a blocking command's future that long and then cancels it; with retries below Spring
 * Data that future completes only after the last attempt. Runs after the core customizer that
 * sets the per-attempt command timeout, which the retry has already taken as its attempt timeout.
 */
final class OverallDeadlineCustomizer implements LettuceClientConfigurationBuilderCustomizer, Ordered {

	private final Duration deadline;

	OverallDeadlineCustomizer(Duration deadline) {
		this.deadline = deadline;
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		builder.commandTimeout(this.deadline);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
