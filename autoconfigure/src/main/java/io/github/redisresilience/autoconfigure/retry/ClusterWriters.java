package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.protocol.RedisCommand;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the cluster writer a command was routed by, so that a retry is routed by the same
 * connection: the same node connections, the same {@code ReadFrom}, and a failure once that
 * connection is closed.
 * <p>
 * Lettuce wraps each command it routes in a {@code ClusterCommand} that keeps its cluster writer
 * in a private field, the one Lettuce itself writes a command back into after MOVED or ASK. No
 * public accessor exists in Lettuce 6.8 or 7.5, so it is read by reflection (with a runtime hint
 * for native images); without it commands are not retried, with a warning.
 * <p>
 * The writer's class is package-private too: its public methods (its connection provider, its
 * partitions) are called by reflection, and whether it is closed is told from them.
 */
final class ClusterWriters {

	private static final Log logger = LogFactory.getLog(ClusterWriters.class);

	static final String FIELD_NAME = "retry";

	/** Package-private in Lettuce: known by name. */
	static final String CLASS_NAME = "io.lettuce.core.cluster.ClusterCommand";

	private static final @Nullable Class<?> TYPE = ClassUtils.resolveClassName(CLASS_NAME,
			ClusterWriters.class.getClassLoader());

	private static final @Nullable Field FIELD = accessible(
			ReflectionUtils.findField(TYPE, FIELD_NAME, RedisChannelWriter.class));

	/** Lettuce's cluster writer, package-private too: its public methods are called by reflection. */
	static final String WRITER_CLASS_NAME = "io.lettuce.core.cluster.ClusterDistributionChannelWriter";

	private static final @Nullable Class<?> WRITER_TYPE = ClassUtils.isPresent(WRITER_CLASS_NAME,
			ClusterWriters.class.getClassLoader())
					? ClassUtils.resolveClassName(WRITER_CLASS_NAME, ClusterWriters.class.getClassLoader()) : null;

	private static final @Nullable Method GET_PROVIDER = writerMethod("getClusterConnectionProvider");

	private ClusterWriters() {
	}

	private static @Nullable Field accessible(@Nullable Field field) {
		if (field == null) {
			logger.warn("Lettuce's ClusterCommand has no '" + FIELD_NAME
					+ "' writer: Redis commands are not retried (redis.resilience.retry.*)");
			return null;
		}
		try {
			ReflectionUtils.makeAccessible(field);
			return field;
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read Lettuce's ClusterCommand writer: Redis commands are not retried", ex);
			return null;
		}
	}

	/**
	 * Whether a command is Lettuce's wrapper of a command routed by slot.
	 * @param command a command or one of its delegates
	 * @return {@code true} for a {@code ClusterCommand}
	 */
	static boolean isRouted(RedisCommand<?, ?, ?> command) {
		return TYPE != null && TYPE.isInstance(command);
	}

	/**
	 * Whether a writer is Lettuce's cluster writer.
	 * @param writer a connection's writer
	 * @return {@code true} for a {@code ClusterDistributionChannelWriter}
	 */
	static boolean isWriter(@Nullable RedisChannelWriter writer) {
		return WRITER_TYPE != null && WRITER_TYPE.isInstance(writer);
	}

	/**
	 * A public method of Lettuce's cluster writer, made callable (its class is package-private).
	 * @param name the method's name, one without overloads
	 * @return the method, or {@code null} if this Lettuce has none
	 */
	static @Nullable Method writerMethod(String name) {
		if (WRITER_TYPE == null) {
			return null;
		}
		for (Method method : WRITER_TYPE.getMethods()) {
			if (method.getName().equals(name)) {
				ReflectionUtils.makeAccessible(method);
				return method;
			}
		}
		return null;
	}

	/**
	 * Whether a cluster writer is closed, the caller's connection with it: Lettuce's writer lets
	 * go of its connection provider when it closes, and rejects every command from then on
	 * with "Connection is closed", the message a closed node connection gives too.
	 * @param writer a cluster writer
	 * @return {@code true} if it is closed, {@code false} if it is open or cannot be told
	 */
	static boolean isClosed(RedisChannelWriter writer) {
		return GET_PROVIDER != null && isWriter(writer) && ReflectionUtils.invokeMethod(GET_PROVIDER, writer) == null;
	}

	/**
	 * Return the writer that routed a command.
	 * @param command a command Lettuce routed by slot
	 * @return its cluster writer, or {@code null} if it cannot be read
	 */
	static @Nullable RedisChannelWriter of(RedisCommand<?, ?, ?> command) {
		return (FIELD != null) ? (RedisChannelWriter) ReflectionUtils.getField(FIELD, command) : null;
	}

}
