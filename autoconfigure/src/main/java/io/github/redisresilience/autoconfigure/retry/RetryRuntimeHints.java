package io.github.redisresilience.autoconfigure.retry;

import java.util.List;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.protocol.DefaultEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the retry reaches by reflection or proxies at run time, for Spring AOT and native images:
 * the writer a routed command keeps ({@link ClusterWriters}), the cluster client's seeds
 * ({@link ClusterClientPreparer}), a node connection's buffers ({@link BufferedCommandTimeouts}),
 * and the connection provider of a cluster writer, its accessors, the writer's partitions, the
 * JDK proxy of its interfaces and the provider's slot lookup ({@link AcquisitionRetry}).
 */
class RetryRuntimeHints implements RuntimeHintsRegistrar {

	static final String PROVIDER = "io.lettuce.core.cluster.PooledClusterConnectionProvider";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(TypeReference.of(ClusterWriters.CLASS_NAME),
					(type) -> type.withField(ClusterWriters.FIELD_NAME))
			.registerType(RedisClusterClient.class, (type) -> type.withField(ClusterClientPreparer.FIELD_NAME))
			.registerType(DefaultEndpoint.class,
					(type) -> type.withField(BufferedCommandTimeouts.DISCONNECTED_BUFFER)
						.withField(BufferedCommandTimeouts.COMMAND_BUFFER))
			.registerType(TypeReference.of(ClusterWriters.WRITER_CLASS_NAME),
					(type) -> type.withMethod("getClusterConnectionProvider", List.of(), ExecutableMode.INVOKE)
						.withMethod("setClusterConnectionProvider",
								List.of(TypeReference.of("io.lettuce.core.cluster.ClusterConnectionProvider")),
								ExecutableMode.INVOKE)
						.withMethod("getPartitions", List.of(), ExecutableMode.INVOKE)
						.withMethod("setPartitions", List.of(TypeReference.of(Partitions.class)), ExecutableMode.INVOKE))
			.registerType(TypeReference.of(AcquisitionRetry.SLOT_LOOKUP_TYPE),
					(type) -> type.withMethod("getConnectionAsync",
							List.of(TypeReference.of(ConnectionIntent.class), TypeReference.of(int.class)),
							ExecutableMode.INVOKE));
		if (ClassUtils.isPresent(PROVIDER, classLoader)) {
			Class<?> provider = ClassUtils.resolveClassName(PROVIDER, classLoader);
			hints.proxies().registerJdkProxy(ClassUtils.getAllInterfacesForClass(provider, classLoader));
		}
	}

}
