package io.github.redisresilience.autoconfigure.startup;

import java.util.Locale;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;


/**
 * Reads the cluster topology once at startup, so that credentials the cluster rejects stop
 * the application with {@link RedisCredentialsRejectedException} instead of failing every
 * command later: Spring Boot opens Redis connections lazily. Any other failure (seeds not
 * reachable yet, a cluster still forming) is left to the client's own retries, as before,
 * and never holds up the startup for longer than {@link #MAX_WAIT}.
 */
final class CredentialsCheck extends StartupCheck {

	private static final Log logger = LogFactory.getLog(CredentialsCheck.class);

	private final boolean usernameSet;

	private static final int MAX_ATTEMPTS = 3;

	CredentialsCheck(Supplier<@Nullable RedisClusterClient> clientSupplier, boolean usernameSet, int phase) {
		super(clientSupplier, phase);
		this.usernameSet = usernameSet;
	}

	@Override
	void check(RedisClusterClient client) {
		long deadline = System.nanoTime() + MAX_WAIT.toNanos();
		// Lettuce 7 sometimes reports a rejected handshake only as "connection closed prematurely":
		// a few reads, within the same bounded wait, let the authentication error show.
		for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			if (deadline - System.nanoTime() <= 0 || readTopology(client, deadline, attempt == MAX_ATTEMPTS)) {
				return;
			}
		}
	}

	/**
	 * Reads the topology once.
	 * @return {@code true} when there is nothing more to learn (read, timed out or interrupted)
	 */
	private boolean readTopology(RedisClusterClient client, long deadlineNanos, boolean lastAttempt) {
		Throwable failure = failureOf(client.refreshPartitionsAsync().toCompletableFuture(), deadlineNanos, logger,
				"Redis Cluster topology not read");
		if (failure == null) {
			return true;
		}
		String rejection = rejection(failure);
		if (rejection != null) {
			throw new RedisCredentialsRejectedException(rejection, this.usernameSet);
		}
		if (lastAttempt) {
			logger.debug("Redis Cluster topology could not be read at startup; the client keeps trying", failure);
		}
		return false;
	}

	/**
	 * Find Redis's answer to the authentication among the causes and suppressed exceptions
	 * (one per seed) of a failed topology read.
	 * @param failure the failure
	 * @return the error reply, such as {@code WRONGPASS invalid username-password pair or user
	 * is disabled.}, or {@code null} when the failure was not an authentication failure
	 */
	static @Nullable String rejection(@Nullable Throwable failure) {
		return FailureCauses.find(failure, (candidate) -> (candidate instanceof RedisCommandExecutionException
				&& isAuthenticationError(candidate.getMessage())) ? candidate.getMessage() : null);
	}

	private static boolean isAuthenticationError(@Nullable String message) {
		if (message == null) {
			return false;
		}
		String upper = message.toUpperCase(Locale.ROOT);
		// WRONGPASS: wrong user or password (Redis 6+); NOAUTH: a password is required but none was
		// sent; the last one: a password was sent but the default user has none (Redis 6.2+).
		return upper.startsWith("WRONGPASS") || upper.startsWith("NOAUTH")
				|| upper.contains("CALLED WITHOUT ANY PASSWORD CONFIGURED");
	}

}
