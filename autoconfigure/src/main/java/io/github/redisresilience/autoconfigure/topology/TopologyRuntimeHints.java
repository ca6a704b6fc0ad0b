package io.github.redisresilience.autoconfigure.topology;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ReflectionUtils;

/**
 * Lets a native image call the Lettuce method {@link PartitionsApplier} calls reflectively.
 */
class TopologyRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		var method = ReflectionUtils.findMethod(RedisClusterClient.class, PartitionsApplier.UPDATE_METHOD);
		if (method != null) {
			hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
		}
	}

}
