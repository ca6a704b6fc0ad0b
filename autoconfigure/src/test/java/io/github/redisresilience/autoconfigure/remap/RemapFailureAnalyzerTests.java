package io.github.redisresilience.autoconfigure.remap;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RegisteredFailureAnalyzers;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that invalid and folding remap rules fail the startup with an analysis that names
 * the rule's property and the fix.
 */
class RemapFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisResilienceAutoConfiguration.class, RedisResilienceClientAutoConfiguration.class,
					DataRedisAutoConfiguration.class));

	@Test
	void remapRuleWithInvalidCidrFailsWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure(RegisteredFailureAnalyzers::analyze,
				"redis.resilience.remap.rules[0].from=10.0.0.0/33", "redis.resilience.remap.rules[0].to={host}:16379");
		assertThat(analysis.getDescription()).contains("'10.0.0.0/33'")
			.contains("'redis.resilience.remap.rules[0].from'")
			.contains("prefix length '33'");
		assertThat(analysis.getAction()).contains("'redis.resilience.remap.rules[0].from'").contains("10.0.0.0/24");
	}

	@Test
	void remapRuleWithInvalidRegexFailsWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure(RegisteredFailureAnalyzers::analyze,
				"redis.resilience.remap.rules[0].from=regex:10\\.0\\.0\\.(\\d+",
				"redis.resilience.remap.rules[0].to=node-{1}");
		assertThat(analysis.getDescription()).contains("not a valid Java regular expression");
		assertThat(analysis.getAction()).contains("'redis.resilience.remap.rules[0].from'");
	}

	@Test
	void remapRuleReferringToAMissingGroupFailsWithAnalysisNamingTo() {
		FailureAnalysis analysis = analyzeStartupFailure(RegisteredFailureAnalyzers::analyze,
				"redis.resilience.remap.rules[0].from=regex:10\\.0\\.0\\.(\\d+):6379",
				"redis.resilience.remap.rules[0].to=node-{2}");
		assertThat(analysis.getDescription()).contains("has only 1 capturing group");
		assertThat(analysis.getAction()).contains("'redis.resilience.remap.rules[0].to'");
	}

	@Test
	void proxyEndpointWithoutPortFailsWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure(RegisteredFailureAnalyzers::analyze,
				"redis.resilience.remap.proxy-endpoint=redis-proxy");
		assertThat(analysis.getAction()).contains("'redis.resilience.remap.proxy-endpoint'").contains("host:port");
	}

	@Test
	void remapRuleFoldingNodesOntoOneAddressFailsWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure(new RemapFoldFailureAnalyzer()::analyze,
				"redis.resilience.remap.rules[0].from=10.0.0.0/16",
				"redis.resilience.remap.rules[0].to=redis.default.svc:6379");
		assertThat(analysis.getDescription()).contains("redis.default.svc:6379")
			.contains("arbitrary node")
			.contains("MOVED");
		assertThat(analysis.getAction()).contains("'redis.resilience.remap.rules[0].to'")
			.contains("redis.resilience.remap.proxy-endpoint")
			.contains("redis.resilience.remap.on-fold=warn");
	}

	@Test
	void remapRuleFoldingNodesStartsWhenOnFoldIsWarn() {
		this.contextRunner
			.withPropertyValues("redis.resilience.remap.rules[0].from=10.0.0.0/16",
					"redis.resilience.remap.rules[0].to=redis.default.svc:6379", "redis.resilience.remap.on-fold=warn")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private FailureAnalysis analyzeStartupFailure(Function<Throwable, FailureAnalysis> analyzer,
			String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = analyzer.apply(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		return analysis[0];
	}

}
