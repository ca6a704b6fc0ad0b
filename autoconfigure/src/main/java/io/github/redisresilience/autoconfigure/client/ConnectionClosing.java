package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.StatefulConnection;
import org.jspecify.annotations.Nullable;

/**
 * Closing the connections the starter opens on the client's resources (the topology watcher's
 * readers, the suspect watch's PINGs, the health probe). At a stop the close is waited for: a connection that closes after the application's client resources have shut down
 * publishes its events to a stopped executor, which Reactor reports as an error.
 */
public final class ConnectionClosing {

	/** Bounded: a stop must not hang on a connect to an address that does not answer. */
	public static final Duration STOP_WAIT = Duration.ofSeconds(2);

	private ConnectionClosing() {
	}

	/**
	 * Closes a connection once it is open, without waiting.
	 * @param connection the connection, as its connect future
	 */
	public static void closeLater(@Nullable CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
		if (connection != null) {
			connection.thenAccept(StatefulConnection::closeAsync);
		}
	}

	/**
	 * Closes a connection and waits, at most {@link #STOP_WAIT}, until it is closed.
	 * @param connection the connection, as its connect future
	 */
	public static void closeNow(@Nullable CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
		closeNow(connection, STOP_WAIT);
	}

	/**
	 * Closes a connection and waits, at most as long as given, until it is closed.
	 * @param connection the connection, as its connect future
	 * @param wait the longest wait
	 */
	public static void closeNow(@Nullable CompletableFuture<? extends StatefulConnection<?, ?>> connection,
			Duration wait) {
		if (connection != null) {
			await(connection.thenCompose(StatefulConnection::closeAsync), wait);
		}
	}

	/**
	 * Waits, at most {@link #STOP_WAIT}, for a close to complete.
	 * @param closing the close
	 */
	public static void await(CompletableFuture<?> closing) {
		await(closing, STOP_WAIT);
	}

	private static void await(CompletableFuture<?> closing, Duration wait) {
		try {
			closing.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// A connect that failed leaves nothing to close; one still pending is not waited for longer.
		}
	}

}
