package io.github.redisresilience.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.actuate.RedisResilienceHealthContributorAutoConfiguration;
import io.github.redisresilience.autoconfigure.actuate.RedisResilienceMetricsAutoConfiguration;
import io.github.redisresilience.autoconfigure.actuate.RedisResilienceTopologyEndpointAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.retry.RedisResilienceRetryAutoConfiguration;
import io.github.redisresilience.autoconfigure.suspect.RedisResilienceSuspectAutoConfiguration;
import io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds malformed values to every kind of property (durations, numbers, enumerations,
 * trigger names, CIDRs, regular expressions, templates, ports, addresses) and checks that the
 * startup fails with an analysis, from the failure analyzers an application loads, that names
 * the property: whichever part rejects the value (binding or the starter's own checks).
 */
class MalformedPropertyValuesTests {

	private static final String PREFIX = "redis.resilience.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				RedisResilienceSuspectAutoConfiguration.class, RedisResilienceTopologyAutoConfiguration.class,
				RedisResilienceRetryAutoConfiguration.class,
				DataRedisAutoConfiguration.class, RedisResilienceHealthContributorAutoConfiguration.class,
				RedisResilienceTopologyEndpointAutoConfiguration.class, RedisResilienceMetricsAutoConfiguration.class))
		// Nothing listens on port 1: connects are refused at once.
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedValues")
	void malformedValueFailsTheStartupWithAnAnalysisNamingTheProperty(List<String> properties, String named) {
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription() + "\n" + analysis.getAction()).contains(named);
		});
	}

	static Stream<Arguments> malformedValues() {
		String rule = PREFIX + "remap.rules[0].";
		return Stream.of(
				// durations
				malformed("timeouts.command", "fast"), malformed("timeouts.connect", "1 second"),
				malformed("timeouts.unanswered", "-"), malformed("socket.keepalive.idle", "5x"),
				malformed("socket.keepalive.interval", "1.5.s"), malformed("socket.tcp-user-timeout", "soon"),
				malformed("topology.refresh.period", "10 s"), malformed("topology.refresh.adaptive-rate-limit", "1ss"),
				malformed("topology.refresh.degraded-period", "P"), malformed("dns.max-ttl", "forever"),
				malformed("dns.negative-ttl", "--1s"), malformed("reconnect.min", "10mss"),
				malformed("reconnect.max", "1h30"), malformed("retry.budget", "ten seconds"),
				malformed("retry.initial-backoff", "50 ms"), malformed("retry.max-backoff", "x"),
				malformed("actuate.probe-timeout", "2 sec"), malformed("actuate.refresh-timeout", "PT"),
				// numbers and booleans
				malformed("socket.keepalive.count", "three"), malformed("topology.refresh.reconnect-attempts", "2.5"),
				malformed("topology.max-redirects", "99999999999"), malformed("reconnect.base", "two"),
				malformed("retry.max-attempts", "-"), malformed("retry.multiplier", "double"),
				malformed("retry.jitter", "half"), malformed("topology.validate-membership", "maybe"),
				malformed("socket.keepalive.enabled", "on-ish"),
				// enumerations and trigger names
				malformed("dns.resolver", "bind9"), malformed("reconnect.delay", "random"),
				malformed("remap.on-fold", "ignore"), malformed("retry.ambiguous", "sometimes"),
				malformed("topology.refresh.adaptive-triggers", "moved"),
				malformed("topology.refresh.adaptive-triggers", "moved-redirect,cluster-down"),
				// remap rules: CIDRs, regular expressions, templates, ports, addresses
				remap(rule, "10.0.0.0/33", "redis.example:6379"), remap(rule, "10.0.0.300", "redis.example:6379"),
				remap(rule, "regex:(unclosed", "node-{1}:6379"), remap(rule, "10.0.0.5:6379", "node-{host:6379"),
				remap(rule, "regex:ip-(\\d+)", "node-{2}:6379"), remap(rule, "10.0.0.5:6379", "redis.example:99999"),
				remap(rule, "10.0.0.5:0", "redis.example:6379"), remap(rule, "10.0.0.5:port", "redis.example:6379"),
				remap(rule, "", "redis.example:6379"), remap(rule, "10.0.0.5:6379", ""),
				remap(rule, "10.0.0.5:6379", "redis example:6379"),
				Arguments.of(List.of(PREFIX + "remap.proxy-endpoint=proxy:99999"), PREFIX + "remap.proxy-endpoint"),
				Arguments.of(List.of(PREFIX + "remap.proxy-endpoint=::::"), PREFIX + "remap.proxy-endpoint"),
				Arguments.of(List.of("spring.data.redis.cluster.nodes="), "spring.data.redis.cluster.nodes"));
	}

	private static Arguments malformed(String property, String value) {
		return Arguments.of(List.of(PREFIX + property + "=" + value), PREFIX + property);
	}

	private static Arguments remap(String rule, String from, String to) {
		return Arguments.of(List.of(rule + "from=" + from, rule + "to=" + to), PREFIX + "remap.rules");
	}

	private static @Nullable FailureAnalysis analyze(Throwable failure) {
		return RegisteredFailureAnalyzers.analyze(failure);
	}

}
