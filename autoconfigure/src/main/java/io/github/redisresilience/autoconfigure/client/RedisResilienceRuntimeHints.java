package io.github.redisresilience.autoconfigure.client;

import java.lang.reflect.Method;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.ReflectionUtils;

/**
 * What the starter reaches by reflection or proxies at run time, for Spring AOT and native
 * images: the Netty customizer Boot's client resources builder holds
 * ({@link ComposingNettyCustomizer}) and Boot 4.0's {@code adaptive} refresh property
 * ({@link ResilienceClientOptionsCustomizer}); the command retry registers its own.
 */
class RedisResilienceRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(DefaultClientResources.Builder.class,
					(type) -> type.withField(ComposingNettyCustomizer.FIELD_NAME));
		Method adaptive = ReflectionUtils.findMethod(DataRedisProperties.Lettuce.Cluster.Refresh.class, "isAdaptive");
		if (adaptive != null) {
			hints.reflection().registerMethod(adaptive, ExecutableMode.INVOKE);
		}
		// The seed reader dials seeds with the settings of the cluster client's first URI.
		Method firstUri = ReflectionUtils.findMethod(RedisClusterClient.class, "getFirstUri");
		if (firstUri != null) {
			hints.reflection().registerMethod(firstUri, ExecutableMode.INVOKE);
		}
	}

}
