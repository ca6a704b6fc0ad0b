package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Field;

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
	 * Return the writer that routed a command.
	 * @param command a command Lettuce routed by slot
	 * @return its cluster writer, or {@code null} if it cannot be read
	 */
	static @Nullable RedisChannelWriter of(RedisCommand<?, ?, ?> command) {
		return (FIELD != null) ? (RedisChannelWriter) ReflectionUtils.getField(FIELD, command) : null;
	}

}
