package io.github.redisresilience.autoconfigure.suspect;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;

import io.github.redisresilience.autoconfigure.client.OwnClusterConnection;

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

	/** A connect that failed (its default node may be the frozen one) is retried on the next PING. */
	private final OwnClusterConnection connection = new OwnClusterConnection();

	/**
	 * PINGs a node unless a PING to it is still in flight.
	 * @return completes with {@code true} once it answered, {@code false} when it did not (or a
	 * PING was already in flight)
	 */
	CompletableFuture<Boolean> ping(RedisClusterClient client, String nodeId) {
		if (!this.inFlight.add(nodeId)) {
			return CompletableFuture.completedFuture(false);
		}
		return this.connection.of(client).thenCompose((cluster) -> cluster.getConnectionAsync(nodeId))
			.thenCompose((node) -> node.async().ping().toCompletableFuture())
			.orTimeout(GIVE_UP.toMillis(), TimeUnit.MILLISECONDS)
			.handle((pong, failure) -> failure == null)
			.whenComplete((answered, failure) -> this.inFlight.remove(nodeId));
	}

	/** Closes the connection once no node is suspect, so that a healthy cluster has none of it. */
	void close() {
		this.connection.closeLater();
	}

	/** Closes the connection and waits for it: the watcher is stopping. */
	void closeNow() {
		this.connection.closeNow();
	}

}
