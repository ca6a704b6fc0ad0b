package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisCommand;

/**
 * The timeouts Lettuce applies per command once commands are retried below Spring Data.
 * <p>
 * Lettuce's timer completes the caller's command when it fires, so on a command's first write it
 * must be the overall deadline (the per-attempt timeout plus the retry budget); the first attempt
 * gets its per-attempt timeout from {@link Attempt#written}. A later attempt travels inside a
 * new {@code ClusterCommand}, so Lettuce's timer on it ends that attempt only, and gets the
 * per-attempt timeout. Commands that are never retried, or that no cluster connection routed,
 * keep the per-attempt timeout, as without retries. A command buffered while its node was
 * disconnected has only the overall deadline until it reaches a channel.
 */
final class AttemptTimeouts extends TimeoutOptions.TimeoutSource {

	/** Room for timer ticks (Lettuce's wheel turns every 100 ms) beyond the last attempt. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	private final Duration attemptTimeout;

	private final Duration overallDeadline;

	private final long attemptMillis;

	private final long deadlineMillis;

	AttemptTimeouts(Duration attemptTimeout, Duration budget) {
		this.attemptTimeout = attemptTimeout;
		this.overallDeadline = deadline(attemptTimeout, budget);
		this.attemptMillis = attemptTimeout.toMillis();
		this.deadlineMillis = this.overallDeadline.toMillis();
	}

	Duration attemptTimeout() {
		return this.attemptTimeout;
	}

	Duration overallDeadline() {
		return this.overallDeadline;
	}

	/**
	 * The longest a caller waits for a retried command: the budget, the last attempt and a margin.
	 * @param attemptTimeout the per-attempt timeout
	 * @param budget the retry budget
	 * @return the overall deadline
	 */
	static Duration deadline(Duration attemptTimeout, Duration budget) {
		return attemptTimeout.plus(budget).plus(MARGIN);
	}

	TimeoutOptions toOptions() {
		return TimeoutOptions.builder().timeoutSource(this).build();
	}

	@Override
	public long getTimeout(RedisCommand<?, ?, ?> command) {
		boolean routed = false;
		RedisCommand<?, ?, ?> current = command;
		while (current != null) {
			if (current instanceof Attempt<?, ?, ?>) {
				return this.attemptMillis;
			}
			routed |= ClusterWriters.isRouted(current);
			current = CommandChain.delegateOf(current);
		}
		if (!routed || CommandTable.kindOf(command) == CommandKind.NEVER_RETRIED) {
			return this.attemptMillis;
		}
		return this.deadlineMillis;
	}

	@Override
	public TimeUnit getTimeUnit() {
		return TimeUnit.MILLISECONDS;
	}

}
