package io.github.redisresilience.autoconfigure;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * The failure analyzers registered in {@code META-INF/spring.factories}, applied as
 * {@code SpringApplication} applies them, so tests see the analysis a user would.
 */
public final class RegisteredFailureAnalyzers {

	private RegisteredFailureAnalyzers() {
	}

	/**
	 * Every registered analyzer that needs no constructor argument (some of Spring Boot's own
	 * need one and are skipped).
	 * @return the analyzers
	 */
	public static List<FailureAnalyzer> all() {
		return SpringFactoriesLoader.forDefaultResourceLocation(RegisteredFailureAnalyzers.class.getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, ex) -> {
			}));
	}

	/**
	 * Analyze a startup failure: the first analyzer that explains it wins.
	 * @param failure the failure
	 * @return the analysis, or {@code null} when no analyzer explains it
	 */
	public static @Nullable FailureAnalysis analyze(Throwable failure) {
		return all().stream().map((analyzer) -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst().orElse(null);
	}

}
