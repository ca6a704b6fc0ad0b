package io.github.redisresilience.autoconfigure.topology;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ReflectionUtils;

import io.lettuce.core.cluster.RedisClusterClient;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionsApplierTests {

	/** Fails when a Lettuce upgrade drops the method: views would then be applied by full refreshes. */
	@Test
	void lettuceOnTheClasspathLetsViewsBeAppliedInPlace() {
		assertThat(new PartitionsApplier().appliesInPlace()).isTrue();
	}

	@Test
	void runtimeHintsLetANativeImageCallTheMethod() {
		RuntimeHints hints = new RuntimeHints();
		new TopologyRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ReflectionUtils.findMethod(RedisClusterClient.class, PartitionsApplier.UPDATE_METHOD)))
			.accepts(hints);
	}

}
