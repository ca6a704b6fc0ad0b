package io.github.redisresilience.autoconfigure.startup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A check that talks to the cluster once at startup, in a lifecycle phase after Spring Boot's
 * connection factory has created its client: Spring Boot opens Redis connections lazily, so
 * without it a mistake shows only when commands fail. A check fails the startup only for the
 * mistake it looks for; anything else (seeds not reachable yet, a cluster still forming) is
 * left to the client's own retries, and no check holds up the startup for longer than
 * {@link #MAX_WAIT}.
 */
abstract class StartupCheck implements SmartLifecycle {

	/**
	 * The first topology read is bounded by the connect timeout and its handshake by the
	 * command timeout (1 s and 2 s by default); a slow or black-holed node must not hold up the
	 * startup longer than this.
	 */
	static final Duration MAX_WAIT = Duration.ofSeconds(5);

	private final Supplier<@Nullable RedisClusterClient> clientSupplier;

	private final int phase;

	private volatile boolean running;

	StartupCheck(Supplier<@Nullable RedisClusterClient> clientSupplier, int phase) {
		this.clientSupplier = clientSupplier;
		this.phase = phase;
	}

	@Override
	public final void start() {
		this.running = true;
		if (!applies()) {
			return;
		}
		RedisClusterClient client = this.clientSupplier.get();
		if (client != null) {
			check(client);
		}
	}

	/**
	 * Whether the check has anything to look at with the application's settings; when not,
	 * the client is not even asked for.
	 * @return {@code true} unless overridden
	 */
	boolean applies() {
		return true;
	}

	/**
	 * Run the check.
	 * @param client the application's cluster client
	 */
	abstract void check(RedisClusterClient client);

	/**
	 * Wait for something the check started, until a deadline.
	 * @param pending what was started
	 * @param deadlineNanos when to stop waiting, as {@link System#nanoTime()}
	 * @param logger where a wait that ran out is logged, at debug level
	 * @param what what was waited for, for that line
	 * @return why it failed, or {@code null} when it succeeded, did not finish in time or the
	 * wait was interrupted (the interrupt is kept): there is nothing to learn from it then
	 */
	static @Nullable Throwable failureOf(CompletableFuture<?> pending, long deadlineNanos, Log logger, String what) {
		try {
			pending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			logger.debug(what + " within " + MAX_WAIT.toSeconds() + "s at startup");
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
