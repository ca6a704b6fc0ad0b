package io.github.redisresilience.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Spring Boot finds the failure analyzers, which are only ever loaded from
 * {@code META-INF/spring.factories}.
 */
class FailureAnalyzerRegistrationTests {

	@Test
	void failureAnalyzersAreRegisteredInSpringFactories() {
		assertThat(RegisteredFailureAnalyzers.all()).extracting((analyzer) -> analyzer.getClass().getName())
			.contains("io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.remap.RemapFoldFailureAnalyzer",
					"io.github.redisresilience.autoconfigure.startup.RedisCredentialsRejectedFailureAnalyzer");
	}

}
