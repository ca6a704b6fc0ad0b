package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;

/**
 * PINGs suspect nodes to see whether they answer again, over one cluster connection of its own
 * opened on the first need: through the client's own way of reaching nodes (remap rules, DNS,
 * credentials, TLS), and with no connection at all while no node is suspect.
 * <p>
 * At most one PING per node is in flight: a frozen node holds it until Lettuce's command timeout,
 * and sending more would only pile them up in its socket buffer.
 */
final class NodePinger {

	/** Lettuce bounds connects and commands by its own timeouts; this only guards against a lost future. */
	private static final Duration GIVE_UP = Duration.ofSeconds(30);

	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	private @Nullable CompletableFuture<StatefulRedisClusterConnection<String, String>> connection;

	private @Nullable RedisClusterClient connectedClient;

	/**
	 * PINGs a node unless a PING to it is still in flight.
	 * @return completes with {@code true} once it answered, {@code false} when it did not (or a
	 * PING was already in flight)
	 */
	CompletableFuture<Boolean> ping(RedisClusterClient client, String nodeId) {
		if (!this.inFlight.add(nodeId)) {
			return CompletableFuture.completedFuture(false);
		}
		return connection(client).thenCompose((cluster) -> cluster.getConnectionAsync(nodeId))
			.thenCompose((node) -> node.async().ping().toCompletableFuture())
			.orTimeout(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS)
			.handle((pong, failure) -> failure == null)
			.whenComplete((answered, failure) -> this.inFlight.remove(nodeId));
	}

	private synchronized CompletableFuture<StatefulRedisClusterConnection<String, String>> connection(
			RedisClusterClient client) {
		CompletableFuture<StatefulRedisClusterConnection<String, String>> current = this.connection;
		if (current != null && this.connectedClient == client && !current.isCompletedExceptionally()) {
			return current;
		}
		ConnectionClosing.closeLater(current);
		// A connect that failed (its default node may be the frozen one) is retried on the next PING.
		current = client.connectAsync(StringCodec.UTF8);
		this.connection = current;
		this.connectedClient = client;
		return current;
	}

	/** Closes the connection once no node is suspect, so that a healthy cluster has none of it. */
	synchronized void close() {
		ConnectionClosing.closeLater(this.connection);
		this.connection = null;
		this.connectedClient = null;
	}

	/** Closes the connection and waits for it: the watcher is stopping. */
	synchronized void closeNow() {
		ConnectionClosing.closeNow(this.connection);
		this.connection = null;
		this.connectedClient = null;
	}

}
