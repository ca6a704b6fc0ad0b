package io.github.redisresilience.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;

import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * What the starter reaches by reflection or proxies at run time, for Spring AOT and native
 * images: the Netty customizer Boot's client resources builder holds
 * ({@link ComposingNettyCustomizer}), Boot 4.0's {@code adaptive} refresh property
 * ({@link ResilienceClientOptionsCustomizer}), and the JDK proxies the command retry puts around
 * Spring Data's blocking connections (every interface of the connection's class).
 * <p>
 * The retry's class proxies (of Boot's connection factory and of reactive connections) are
 * generated at run time, which a native image cannot do; see the README.
 */
class RedisResilienceRuntimeHints implements RuntimeHintsRegistrar {

	/** The blocking connections the retry decorates with a JDK proxy of all their interfaces. */
	static final List<String> PROXIED_CONNECTIONS = List.of(
			"org.springframework.data.redis.connection.lettuce.LettuceConnection",
			"org.springframework.data.redis.connection.lettuce.LettuceClusterConnection");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(DefaultClientResources.Builder.class,
					(type) -> type.withField(ComposingNettyCustomizer.FIELD_NAME));
		Method adaptive = ReflectionUtils.findMethod(DataRedisProperties.Lettuce.Cluster.Refresh.class, "isAdaptive");
		if (adaptive != null) {
			hints.reflection().registerMethod(adaptive, ExecutableMode.INVOKE);
		}
		for (String name : PROXIED_CONNECTIONS) {
			if (ClassUtils.isPresent(name, classLoader)) {
				Class<?> type = ClassUtils.resolveClassName(name, classLoader);
				hints.proxies().registerJdkProxy(ClassUtils.getAllInterfacesForClass(type, classLoader));
				hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
			}
		}
	}

}
