package io.github.redisresilience.autoconfigure.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionSelectorException;
import org.jspecify.annotations.Nullable;

/**
 * The classification of a failed command: whether it may have run, and a short reason used
 * in logs and as a metric tag.
 * <p>
 * The classification walks the cause chain, since Spring Data Redis wraps Lettuce's
 * exceptions ({@code RedisSystemException}, {@code QueryTimeoutException},
 * {@code RedisConnectionFailureException}).
 *
 * @param kind whether the command may have run
 * @param reason a short lower-case reason, such as {@code clusterdown} or {@code timeout}
 */
record Failure(FailureKind kind, String reason) {

	/**
	 * Error replies for which Redis rejects a command before executing it, during failovers,
	 * slot migrations, restarts and replica promotion.
	 */
	private static final Set<String> REJECTED_BEFORE_EXECUTION = Set.of("CLUSTERDOWN", "TRYAGAIN", "LOADING",
			"MASTERDOWN", "READONLY", "NOREPLICAS", "MOVED", "ASK");

	private static final Failure PERMANENT = new Failure(FailureKind.PERMANENT, "permanent");

	/**
	 * Classify a failure.
	 * @param failure what a connection method threw
	 * @return the classification
	 */
	static Failure of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = nextCause(cause)) {
			Failure classified = classifyOne(cause);
			if (classified != null) {
				return classified;
			}
		}
		return PERMANENT;
	}

	private static @Nullable Throwable nextCause(Throwable throwable) {
		Throwable cause = throwable.getCause();
		return (cause != throwable) ? cause : null;
	}

	private static @Nullable Failure classifyOne(Throwable cause) {
		if (cause instanceof RedisCommandExecutionException) {
			return errorReply(cause.getMessage());
		}
		if (cause instanceof PartitionSelectorException) {
			return notExecuted("no-partition");
		}
		if (cause instanceof RedisConnectionException || cause instanceof ConnectException) {
			return notExecuted("connect");
		}
		if (cause instanceof RedisCommandTimeoutException) {
			return new Failure(FailureKind.AMBIGUOUS, "timeout");
		}
		if (cause instanceof RedisCommandNotReplayedException) {
			return new Failure(FailureKind.AMBIGUOUS, "connection-lost");
		}
		if (cause instanceof RedisException) {
			return lettuceState(cause.getMessage());
		}
		if (cause instanceof IOException) {
			// Connection reset or closed channel: the write may have reached the server.
			return new Failure(FailureKind.AMBIGUOUS, "connection-lost");
		}
		return null;
	}

	private static Failure errorReply(@Nullable String message) {
		if (message == null) {
			return PERMANENT;
		}
		int end = message.indexOf(' ');
		String code = ((end > 0) ? message.substring(0, end) : message).toUpperCase(Locale.ROOT);
		return REJECTED_BEFORE_EXECUTION.contains(code) ? notExecuted(code.toLowerCase(Locale.ROOT)) : PERMANENT;
	}

	/**
	 * Lettuce signals its connection states with plain {@link RedisException}s told apart by
	 * message: those raised before the command is written are safe, "Connection closed" and
	 * "Connection disconnected" also cancel commands already written.
	 */
	private static @Nullable Failure lettuceState(@Nullable String message) {
		if (message == null) {
			return null;
		}
		if (message.equals("Connection is closed") || message.startsWith("Currently not connected")
				|| message.startsWith("Connection is deallocated") || message.startsWith("Request queue size exceeded")
				|| message.startsWith("Command buffer size exceeded")) {
			return notExecuted("not-connected");
		}
		if (message.startsWith("No partition for slot") || message.startsWith("Cannot determine a partition")) {
			return notExecuted("no-partition");
		}
		if (message.equals("Connection closed") || message.equals("Connection disconnected")) {
			return new Failure(FailureKind.AMBIGUOUS, "connection-lost");
		}
		return null;
	}

	private static Failure notExecuted(String reason) {
		return new Failure(FailureKind.NOT_EXECUTED, reason);
	}

}
