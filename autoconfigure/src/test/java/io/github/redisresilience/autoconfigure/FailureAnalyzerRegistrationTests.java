package io.github.redisresilience.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Spring Boot finds the failure analyzers, which are only ever loaded from
 * {@code META-INF/spring.factories}.
 */
class FailureAnalyzerRegistrationTests {

	@Test
	void failureAnalyzersAreRegisteredInSpringFactories() {
		// Some of Spring Boot's own analyzers need constructor arguments; they are skipped.
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, failure) -> {
			}));
		assertThat(analyzers).extracting((analyzer) -> analyzer.getClass().getName())
			.contains("io.github.redisresilience.autoconfigure.InvalidResilienceSettingFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.dns.InvalidDnsServerFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.remap.InvalidRemapRuleFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.remap.RemapFoldFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.topology.RedisCredentialsRejectedFailureAnalyzer");
	}

}
