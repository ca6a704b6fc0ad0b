package io.github.redisresilience.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Dns;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Reconnect;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Socket.Keepalive;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Timeouts;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Topology;
import io.github.redisresilience.autoconfigure.settings.Durations;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Checks bound {@link RedisResilienceProperties} and throws an
 * {@link InvalidResilienceSettingException} for the first value that cannot work. Remap
 * rules are checked where they are parsed, in the {@code remap} package.
 */
final class SettingsValidator {

	private static final String PREFIX = "redis.resilience.";

	private final RedisResilienceProperties properties;

	SettingsValidator(RedisResilienceProperties properties) {
		this.properties = properties;
	}

	void validate() {
		validateDns(this.properties.getDns());
		validateTopology(this.properties.getTopology());
		validateTimeouts(this.properties.getTimeouts());
		validateSocket(this.properties.getSocket());
		validateReconnect(this.properties.getReconnect());
	}

	private void validateDns(Dns dns) {
		// Netty's DNS cache takes whole seconds: 500ms would silently become 0, no caching.
		wholeSeconds("dns.max-ttl", dns.getMaxTtl(), false);
		wholeSeconds("dns.negative-ttl", dns.getNegativeTtl(), false);
		if (dns.getResolver() == null) {
			throw missing("dns.resolver", "netty");
		}
	}

	private void validateTopology(Topology topology) {
		Topology.Refresh refresh = topology.getRefresh();
		positive("topology.refresh.period", refresh.getPeriod(), "10s");
		notNegative("topology.refresh.adaptive-rate-limit", refresh.getAdaptiveRateLimit(), "1s");
		positive("topology.refresh.degraded-period", refresh.getDegradedPeriod(), "500ms");
		positive("topology.refresh.suspect-period", refresh.getSuspectPeriod(), "100ms");
		if (refresh.getAdaptiveTriggers() == null) {
			throw missing("topology.refresh.adaptive-triggers", "moved-redirect,ask-redirect,...");
		}
		atLeastOne("topology.refresh.reconnect-attempts", refresh.getReconnectAttempts(),
				"the persistent reconnects trigger needs at least one failed attempt to fire", "2");
		atLeastOne("topology.max-redirects", topology.getMaxRedirects(),
				"a cluster client that follows no MOVED or ASK redirection fails on every resharding", "5");
	}

	private void validateTimeouts(Timeouts timeouts) {
		positive("timeouts.command", timeouts.getCommand(), "2s");
		positive("timeouts.connect", timeouts.getConnect(), "1s");
		fitsMillis("timeouts.connect", timeouts.getConnect());
		if (timeouts.getUnanswered() != null) {
			// Unset means "the command timeout"; an empty value binds as unset too.
			notNegative("timeouts.unanswered", timeouts.getUnanswered(), "2s");
		}
	}

	private void validateSocket(RedisResilienceProperties.Socket socket) {
		Keepalive keepalive = socket.getKeepalive();
		wholeSeconds("socket.keepalive.idle", keepalive.getIdle(), true);
		wholeSeconds("socket.keepalive.interval", keepalive.getInterval(), true);
		atLeastOne("socket.keepalive.count", keepalive.getCount(),
				"the connection would be dropped before a single probe is answered", "3");
		Duration tcpUserTimeout = socket.getTcpUserTimeout();
		if (tcpUserTimeout != null) {
			notNegative("socket.tcp-user-timeout", tcpUserTimeout, "5s (or 0 to disable it)");
			fitsMillis("socket.tcp-user-timeout", tcpUserTimeout);
		}
	}

	private void validateReconnect(Reconnect reconnect) {
		if (reconnect.getDelay() == null) {
			throw missing("reconnect.delay", "full-jitter");
		}
		notNegative("reconnect.min", reconnect.getMin(), "10ms");
		positive("reconnect.max", reconnect.getMax(), "1s");
		// Lettuce computes the delay in whole milliseconds and needs max above min there.
		if (reconnect.getMax().toMillis() <= reconnect.getMin().toMillis()) {
			throw new InvalidResilienceSettingException(PREFIX + "reconnect.max",
					Durations.format(reconnect.getMax()),
					"the longest reconnect delay must be greater than the shortest, "
							+ PREFIX + "reconnect.min, which is " + Durations.format(reconnect.getMin()),
					"set it above " + PREFIX + "reconnect.min, or lower " + PREFIX + "reconnect.min.");
		}
		if (reconnect.getBase() < 2) {
			throw new InvalidResilienceSettingException(PREFIX + "reconnect.base", reconnect.getBase(),
					"with a base below 2 the delay never grows between attempts",
					"set it to 2 or more (2 doubles the delay after each failed attempt).");
		}
	}

	private void positive(String property, @Nullable Duration value, String example) {
		if (value == null) {
			throw missing(property, example);
		}
		if (value.isNegative() || value.isZero()) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it must be longer than zero",
					"set a positive duration such as " + example + ".");
		}
	}

	private void notNegative(String property, @Nullable Duration value, String example) {
		if (value == null) {
			throw missing(property, example);
		}
		if (value.isNegative()) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it must not be negative",
					"set zero or a positive duration such as " + example + ".");
		}
	}

	private void wholeSeconds(String property, @Nullable Duration value, boolean positive) {
		String minimum = positive ? "1s" : "0s";
		if (value == null) {
			throw missing(property, minimum);
		}
		if (value.isNegative() || (positive && value.isZero())) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it must be at least " + minimum, "set a whole number of seconds of at least " + minimum + ".");
		}
		if (value.getSeconds() > Integer.MAX_VALUE) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it is longer than the setting can hold", "set a shorter duration, such as 5s.");
		}
		if (value.getNano() != 0) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it is applied in whole seconds, so the fraction would be silently dropped",
					"set a whole number of seconds, such as " + Math.max(value.getSeconds(), 1) + "s.");
		}
	}

	private void fitsMillis(String property, Duration value) {
		if (value.toMillis() > Integer.MAX_VALUE) {
			throw new InvalidResilienceSettingException(PREFIX + property, Durations.format(value),
					"it is longer than the socket option can hold (about 24 days)", "set a shorter duration.");
		}
	}

	private void atLeastOne(String property, int value, String reason, String example) {
		if (value < 1) {
			throw new InvalidResilienceSettingException(PREFIX + property, value, "it must be at least 1: " + reason,
					"set it to 1 or more, such as " + example + ".");
		}
	}

	private InvalidResilienceSettingException missing(String property, String example) {
		return new InvalidResilienceSettingException(PREFIX + property, "", "it must not be empty",
				"set a value such as " + example + ", or remove the property to use the default.");
	}

}
