package io.github.redisresilience.autoconfigure.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RegisteredFailureAnalyzers;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a name server in {@code redis.resilience.dns.servers} that cannot be used fails
 * the startup with an analysis naming the entry and the fix.
 */
class DnsServersFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisResilienceAutoConfiguration.class, RedisResilienceClientAutoConfiguration.class,
					DataRedisAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			kube-dns.kube-system:53 | 'kube-dns.kube-system' is not one | IP address
			10.96.0.10:dns          | port 'dns'                        | 10.96.0.10:53
			10.96.0.10:0            | port '0'                          | 10.96.0.10:53
			10.96.0.10:65536        | port '65536'                      | 10.96.0.10:53
			10.96.0.300             | '10.96.0.300' is not one          | IP address
			[fd00::10               | no closing ']'                    | [address]:port
			[fd00::10]53            | only ':port'                      | [address]:port
			""")
	void unusableNameServerFailsWithAnalysis(String value, String reason, String fix) {
		FailureAnalysis analysis = analyzeStartupFailure("redis.resilience.dns.servers=10.96.0.10," + value);
		assertThat(analysis.getDescription()).contains("'" + value + "'")
			.contains("'redis.resilience.dns.servers[1]'")
			.contains(reason);
		assertThat(analysis.getAction()).contains("'redis.resilience.dns.servers[1]'").contains(fix);
	}

	@Test
	void emptyEntryFailsWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure("redis.resilience.dns.servers[0]=10.96.0.10",
				"redis.resilience.dns.servers[1]= ");
		assertThat(analysis.getDescription()).contains("'redis.resilience.dns.servers[1]'").contains("empty");
	}

	@Test
	void nameServersWithTheJdkResolverFailWithAnalysis() {
		FailureAnalysis analysis = analyzeStartupFailure("redis.resilience.dns.resolver=jdk",
				"redis.resilience.dns.servers=10.96.0.10:53");
		assertThat(analysis.getDescription()).contains("'redis.resilience.dns.servers'")
			.contains("'10.96.0.10:53'")
			.contains("/etc/resolv.conf");
		assertThat(analysis.getAction()).contains("redis.resilience.dns.resolver=netty");
	}

	@Test
	void usableNameServersStart() {
		this.contextRunner.withPropertyValues("redis.resilience.dns.servers=10.96.0.10, 127.0.0.1:5353,[::1]:53,fd00::10")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DnsResolution.class).servers()).extracting(Object::toString)
					.containsExactly("/10.96.0.10:53", "/127.0.0.1:5353", "/[0:0:0:0:0:0:0:1]:53",
							"/[fd00:0:0:0:0:0:0:10]:53");
			});
	}

	private FailureAnalysis analyzeStartupFailure(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = RegisteredFailureAnalyzers.analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("analysis of %s", properties[properties.length - 1]).isNotNull();
		return analysis[0];
	}

}
