package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;

/**
 * One cluster connection of the starter's own on the application's client, opened on the first
 * need through the client's own way of reaching nodes (remap rules, DNS, credentials, TLS) and
 * kept between uses, so that a healthy cluster sees no new connections from it: every connection
 * closed would be a Lettuce connection event. A connect that failed, or one made by a client
 * since replaced, is opened again on the next use; Lettuce bounds a connect by its connect timeout.
 */
public final class OwnClusterConnection {

	private @Nullable CompletableFuture<StatefulRedisClusterConnection<String, String>> connection;

	private @Nullable RedisClusterClient connectedClient;

	/**
	 * The connection, opened now if there is none for this client or its connect failed.
	 * @param client the application's cluster client
	 * @return the connection, as its connect future
	 */
	public synchronized CompletableFuture<StatefulRedisClusterConnection<String, String>> of(
			RedisClusterClient client) {
		CompletableFuture<StatefulRedisClusterConnection<String, String>> current = this.connection;
		if (current != null && this.connectedClient == client && !current.isCompletedExceptionally()) {
			return current;
		}
		ConnectionClosing.closeLater(current);
		current = client.connectAsync(StringCodec.UTF8).toCompletableFuture();
		this.connection = current;
		this.connectedClient = client;
		return current;
	}

	/** Closes the connection, if any, once it is open, without waiting. */
	public void closeLater() {
		ConnectionClosing.closeLater(take());
	}

	/** Closes the connection, if any, and waits at most {@link ConnectionClosing#STOP_WAIT}. */
	public void closeNow() {
		ConnectionClosing.closeNow(take());
	}

	/**
	 * Closes the connection, if any, and waits at most as long as given.
	 * @param wait the longest wait
	 */
	public void closeNow(Duration wait) {
		ConnectionClosing.closeNow(take(), wait);
	}

	private synchronized @Nullable CompletableFuture<StatefulRedisClusterConnection<String, String>> take() {
		CompletableFuture<StatefulRedisClusterConnection<String, String>> current = this.connection;
		this.connection = null;
		this.connectedClient = null;
		return current;
	}

}
