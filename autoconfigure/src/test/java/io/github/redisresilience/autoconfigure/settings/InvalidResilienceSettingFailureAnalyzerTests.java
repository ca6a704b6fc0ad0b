package io.github.redisresilience.autoconfigure.settings;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that each invalid {@code redis.resilience.*} value fails the startup with an
 * analysis quoting the value and naming the property to change.
 */
class InvalidResilienceSettingFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisResilienceAutoConfiguration.class, RedisResilienceClientAutoConfiguration.class,
					DataRedisAutoConfiguration.class));

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("invalidSettings")
	void invalidSettingFailsWithAnalysisNamingThePropertyAndQuotingTheValue(String property, String value,
			String reason) {
		FailureAnalysis analysis = analyzeStartupFailure(property + "=" + value);
		assertThat(analysis.getDescription()).contains("'" + value + "'").contains(property).contains(reason);
		assertThat(analysis.getAction()).contains("'" + property + "'");
	}

	static Stream<Arguments> invalidSettings() {
		String prefix = "redis.resilience.";
		return Stream.of(Arguments.of(prefix + "dns.max-ttl", "-1s", "at least 0s"),
				Arguments.of(prefix + "dns.max-ttl", "1500ms", "whole seconds"),
				Arguments.of(prefix + "dns.negative-ttl", "-1s", "at least 0s"),
				Arguments.of(prefix + "topology.refresh.period", "0s", "longer than zero"),
				Arguments.of(prefix + "topology.refresh.adaptive-rate-limit", "-1s", "must not be negative"),
				Arguments.of(prefix + "topology.refresh.reconnect-attempts", "0", "at least 1"),
				Arguments.of(prefix + "topology.refresh.degraded-period", "0s", "longer than zero"),
				Arguments.of(prefix + "topology.max-redirects", "0", "at least 1"),
				Arguments.of(prefix + "timeouts.command", "0s", "longer than zero"),
				Arguments.of(prefix + "timeouts.connect", "-1s", "longer than zero"),
				Arguments.of(prefix + "socket.keepalive.idle", "0s", "at least 1s"),
				Arguments.of(prefix + "socket.keepalive.interval", "500ms", "whole seconds"),
				Arguments.of(prefix + "socket.keepalive.count", "0", "at least 1"),
				Arguments.of(prefix + "socket.tcp-user-timeout", "-5s", "must not be negative"),
				Arguments.of(prefix + "reconnect.min", "-1ms", "must not be negative"),
				Arguments.of(prefix + "reconnect.max", "0s", "longer than zero"),
				Arguments.of(prefix + "reconnect.base", "1", "never grows"));
	}

	@Test
	void reconnectMinAboveMaxFailsWithAnalysisNamingMax() {
		FailureAnalysis analysis = analyzeStartupFailure("redis.resilience.reconnect.min=2s",
				"redis.resilience.reconnect.max=1s");
		assertThat(analysis.getDescription()).contains("'1s'").contains("redis.resilience.reconnect.min, which is 2s");
		assertThat(analysis.getAction()).contains("'redis.resilience.reconnect.max'");
	}

	private FailureAnalysis analyzeStartupFailure(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new InvalidResilienceSettingFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		return analysis[0];
	}

}
