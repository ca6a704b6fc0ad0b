package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The cluster connection Spring Data shares between the application's operations (its default,
 * {@code shareNativeConnection}), for the topology reader to read over: its node connections are
 * the ones the application routes by, so a read needs no connection of its own. {@code null} when
 * the factory shares none, is not running, or cannot open it; the reader then holds its own.
 */
final class SharedClusterConnection implements Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> {

	/** After a failed open, how long the reader keeps to its own connection before asking again. */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private final LettuceConnectionFactory factory;

	private volatile @Nullable StatefulRedisClusterConnection<?, ?> connection;

	private volatile long failedAtNanos;

	private volatile boolean failed;

	SharedClusterConnection(LettuceConnectionFactory factory) {
		this.factory = factory;
	}

	@Override
	public @Nullable StatefulRedisClusterConnection<?, ?> get() {
		StatefulRedisClusterConnection<?, ?> current = this.connection;
		// Not closed is enough: while its default connection reconnects (every pod moved) the
		// connection is not "open", yet its node connections serve reads at the new addresses. A
		// connection of the reader's own would open one to a seed and read its topology, each time.
		if (current != null && isNotClosed(current)) {
			return current;
		}
		if (!this.factory.getShareNativeConnection() || !this.factory.isRunning()
				|| !this.factory.isClusterAware()) {
			return null;
		}
		// Opening it blocks (Spring Data connects synchronously): not again on every read.
		if (this.failed && System.nanoTime() - this.failedAtNanos < RETRY_AFTER.toNanos()) {
			return null;
		}
		current = open();
		this.connection = current;
		this.failed = (current == null);
		this.failedAtNanos = System.nanoTime();
		return current;
	}

	/**
	 * Whether a connection has not been closed, reconnecting or not. Lettuce's connections say so
	 * on their implementation class only; any other counts while it is open.
	 */
	static boolean isNotClosed(StatefulRedisClusterConnection<?, ?> connection) {
		return (connection instanceof RedisChannelHandler<?, ?> handler) ? !handler.isClosed() : connection.isOpen();
	}

	private @Nullable StatefulRedisClusterConnection<?, ?> open() {
		// A shared connection is not closed with the Spring Data connection that hands it out.
		try (RedisClusterConnection connection = this.factory.getClusterConnection()) {
			return (connection.getNativeConnection() instanceof RedisAdvancedClusterAsyncCommands<?, ?> commands)
					? commands.getStatefulConnection() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
