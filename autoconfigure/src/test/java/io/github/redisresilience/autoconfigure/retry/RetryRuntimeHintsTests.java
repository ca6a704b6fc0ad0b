package io.github.redisresilience.autoconfigure.retry;

import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryRuntimeHints}.
 */
class RetryRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	RetryRuntimeHintsTests() {
		new RetryRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void writerOfARoutedCommandIsReachable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(ClassUtils.resolveClassName(ClusterWriters.CLASS_NAME, null), ClusterWriters.FIELD_NAME))
			.accepts(this.hints);
	}

	@Test
	void seedsOfTheClusterClientAreReachable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(RedisClusterClient.class, ClusterClientPreparer.FIELD_NAME)).accepts(this.hints);
	}

	@Test
	void proxyOfTheConnectionProviderIsRegistered() {
		Class<?> provider = ClassUtils.resolveClassName(RetryRuntimeHints.PROVIDER, null);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(ClassUtils.getAllInterfacesForClass(provider, getClass().getClassLoader())))
			.accepts(this.hints);
	}

}
