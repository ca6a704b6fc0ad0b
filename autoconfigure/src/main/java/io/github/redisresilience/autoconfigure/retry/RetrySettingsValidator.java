package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Checks bound {@link RedisResilienceRetryProperties} and throws an
 * {@link InvalidResilienceSettingException} for the first value that cannot work.
 */
final class RetrySettingsValidator {

	private static final String PREFIX = "redis.resilience.retry.";

	private final RedisResilienceRetryProperties properties;

	RetrySettingsValidator(RedisResilienceRetryProperties properties) {
		this.properties = properties;
	}

	void validate() {
		if (this.properties.getMaxAttempts() < 1) {
			throw new InvalidResilienceSettingException(PREFIX + "max-attempts", this.properties.getMaxAttempts(),
					"it counts the first attempt too, so it must be at least 1",
					"set it to 1 to disable retries, or to more, such as 20.");
		}
		// Backoff delays are applied in whole milliseconds by both Spring's and Reactor's backoff.
		Duration initial = this.properties.getInitialBackoff();
		positiveMillis("initial-backoff", initial, "50ms");
		Duration max = this.properties.getMaxBackoff();
		positiveMillis("max-backoff", max, "1s");
		if (max.compareTo(initial) < 0) {
			throw new InvalidResilienceSettingException(PREFIX + "max-backoff", format(max),
					"the longest delay must not be shorter than " + PREFIX + "initial-backoff, which is "
							+ format(initial),
					"set it to " + format(initial) + " or more, or lower " + PREFIX + "initial-backoff.");
		}
		if (!(this.properties.getMultiplier() >= 1.0) || Double.isInfinite(this.properties.getMultiplier())) {
			throw new InvalidResilienceSettingException(PREFIX + "multiplier", this.properties.getMultiplier(),
					"below 1 the delay would shrink after each retry",
					"set 1 for a fixed delay, or more, such as 2, to double it after each retry.");
		}
		if (!(this.properties.getJitter() >= 0.0 && this.properties.getJitter() <= 1.0)) {
			throw new InvalidResilienceSettingException(PREFIX + "jitter", this.properties.getJitter(),
					"it is the fraction of each delay that is randomised, between 0 and 1",
					"set a value between 0 (no randomness) and 1, such as 0.5.");
		}
		positiveMillis("budget", this.properties.getBudget(), "10s");
		if (this.properties.getAmbiguous() == null) {
			throw missing("ambiguous", "idempotent-only");
		}
		if (this.properties.getReplay() == null) {
			throw missing("replay", "idempotent-only");
		}
		Duration ttl = this.properties.getExactlyOnceTtl();
		positiveMillis("exactly-once-ttl", ttl, "60s");
		if (ttl.compareTo(this.properties.getBudget()) <= 0) {
			throw new InvalidResilienceSettingException(PREFIX + "exactly-once-ttl", format(ttl),
					"a retry could arrive after its token expired and apply the command twice; it must be longer than "
							+ PREFIX + "budget, which is " + format(this.properties.getBudget()),
					"set it to several times the budget, such as 60s.");
		}
	}

	private void positiveMillis(String property, @Nullable Duration value, String example) {
		if (value == null) {
			throw missing(property, example);
		}
		if (value.toMillis() < 1) {
			throw new InvalidResilienceSettingException(PREFIX + property, format(value),
					"it must be at least 1ms", "set a positive duration such as " + example + ".");
		}
	}

	private InvalidResilienceSettingException missing(String property, String example) {
		return new InvalidResilienceSettingException(PREFIX + property, "", "it must not be empty",
				"set a value such as " + example + ", or remove the property to use the default.");
	}

	private static String format(Duration duration) {
		if (duration.getNano() == 0) {
			return duration.getSeconds() + "s";
		}
		return (duration.getNano() % 1_000_000 == 0) ? duration.toMillis() + "ms" : duration.toNanos() + "ns";
	}

}
