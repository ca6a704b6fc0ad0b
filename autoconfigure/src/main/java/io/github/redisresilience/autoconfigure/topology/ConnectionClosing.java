package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.StatefulConnection;
import org.jspecify.annotations.Nullable;

/**
 * Closing the connections the watcher opens on the client's resources. At a stop the close is
 * waited for: a connection that closes after the application's client resources have shut down
 * publishes its events to a stopped executor, which Reactor reports as an error.
 */
final class ConnectionClosing {

	/** Bounded: a stop must not hang on a connect to an address that does not answer. */
	static final Duration STOP_WAIT = Duration.ofSeconds(2);

	private ConnectionClosing() {
	}

	/**
	 * Closes a connection once it is open, without waiting.
	 * @param connection the connection, as its connect future
	 */
	static void closeLater(@Nullable CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
		if (connection != null) {
			connection.thenAccept(StatefulConnection::closeAsync);
		}
	}

	/**
	 * Closes a connection and waits, at most {@link #STOP_WAIT}, until it is closed.
	 * @param connection the connection, as its connect future
	 */
	static void closeNow(@Nullable CompletableFuture<? extends StatefulConnection<?, ?>> connection) {
		if (connection != null) {
			await(connection.thenCompose(StatefulConnection::closeAsync));
		}
	}

	/**
	 * Waits, at most {@link #STOP_WAIT}, for a close to complete.
	 * @param closing the close
	 */
	static void await(CompletableFuture<?> closing) {
		try {
			closing.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// A connect that failed leaves nothing to close; one still pending is not waited for longer.
		}
	}

}
