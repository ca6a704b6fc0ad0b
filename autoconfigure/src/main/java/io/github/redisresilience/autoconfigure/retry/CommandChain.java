package io.github.redisresilience.autoconfigure.retry;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.DecoratedCommand;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

/**
 * A command and the commands Lettuce and the cluster connection wrapped around it on its way
 * to a channel, walked from the outermost in.
 */
final class CommandChain {

	private CommandChain() {
	}

	/**
	 * A stacked command without Lettuce's wrappers, so that an attempt is found under them:
	 * Lettuce's {@code CommandHandler} stacks each command in a {@code LatencyMeteredCommand}
	 * when command latencies are recorded (by default whenever HdrHistogram and LatencyUtils are
	 * on the class path, as they are with Micrometer).
	 */
	static RedisCommand<?, ?, ?> unwrapped(RedisCommand<?, ?, ?> stacked) {
		RedisCommand<?, ?, ?> command = stacked;
		while (command instanceof CommandWrapper<?, ?, ?> wrapper) {
			command = wrapper.getDelegate();
		}
		return command;
	}

	/**
	 * The cluster connection's wrapper of a command, the one its writer routed by slot.
	 * @param command a command that reached a channel
	 * @return the outermost {@code ClusterCommand} among it and its delegates, or {@code null}
	 */
	static @Nullable RedisCommand<?, ?, ?> routedOf(RedisCommand<?, ?, ?> command) {
		for (RedisCommand<?, ?, ?> current = command; current != null; current = delegateOf(current)) {
			if (ClusterWriters.isRouted(current)) {
				return current;
			}
		}
		return null;
	}

	/**
	 * The command a decorator wraps, or {@code null} for an innermost command. Lettuce's own
	 * decorators are checked by class first: an interface check that fails (as it does on every
	 * innermost command) costs a scan of the class's interfaces, on every command.
	 */
	static @Nullable RedisCommand<?, ?, ?> delegateOf(RedisCommand<?, ?, ?> command) {
		if (command instanceof CommandWrapper<?, ?, ?> wrapper) {
			return wrapper.getDelegate();
		}
		if (command instanceof io.lettuce.core.protocol.Command<?, ?, ?>) {
			return null;
		}
		return (command instanceof DecoratedCommand<?, ?, ?> decorated) ? decorated.getDelegate() : null;
	}

}
