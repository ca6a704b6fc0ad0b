package io.github.redisresilience.autoconfigure.client;

import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	RedisResilienceRuntimeHintsTests() {
		new RedisResilienceRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void nettyCustomizerFieldOfBootsBuilderIsReachable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(DefaultClientResources.Builder.class, ComposingNettyCustomizer.FIELD_NAME)).accepts(this.hints);
	}

}
