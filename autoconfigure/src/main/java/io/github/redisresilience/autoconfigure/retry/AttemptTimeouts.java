package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisCommand;

/**
 * The timeouts Lettuce applies per command once commands are retried below Spring Data.
 * <p>
 * A routed command that may be retried gets no Lettuce timer on its first write once the retry
 * times its commands out itself ({@link #markTimedByRetry()}): its first attempt ends at the
 * per-attempt timeout by its channel's sweep ({@link ChannelCommandRetry}), its retries end within
 * the budget, and while it waits in a node connection's buffers instead of on a channel,
 * {@link BufferedCommandTimeouts} ends it at the overall deadline. Lettuce's timer costs a timer
 * entry and a completion callback per command (measured: about 3 % of a saturated client's CPU
 * and about 175 bytes per command), more than the retry itself. Until then, and with a Lettuce whose
 * buffers cannot be read, the first write gets the overall deadline (the per-attempt timeout plus
 * the retry budget), since Lettuce's timer completes the caller when it fires.
 * <p>
 * A later attempt travels inside a new {@code ClusterCommand}, so Lettuce's timer on it ends that
 * attempt only, and gets the per-attempt timeout. Commands that are never retried, or that no
 * cluster connection routed, keep the per-attempt timeout, as without retries.
 */
final class AttemptTimeouts extends TimeoutOptions.TimeoutSource {

	/** Room for timer ticks (Lettuce's wheel turns every 100 ms) beyond the last attempt. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	private final Duration attemptTimeout;

	private final Duration overallDeadline;

	private final long attemptMillis;

	private final long deadlineMillis;

	/** Set once the retry's handler is on a channel: its sweeps then time routed commands out. */
	private volatile boolean timedByRetry;

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

	/**
	 * Tell that the retry times routed commands out itself: its handler is on the channels, and
	 * what waits in a connection's buffers is looked at too (only called once a look is scheduled,
	 * so never on a Lettuce whose buffers cannot be read). From then on routed commands that
	 * may be retried get no Lettuce timer. Never called when the client's resources were built
	 * without the starter's Netty customizer (an application's own {@code ClientResources}):
	 * then Lettuce's timer stays.
	 */
	void markTimedByRetry() {
		this.timedByRetry = true;
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
		// No timer: Lettuce skips a command whose timeout is not positive.
		return this.timedByRetry ? 0 : this.deadlineMillis;
	}

	@Override
	public TimeUnit getTimeUnit() {
		return TimeUnit.MILLISECONDS;
	}

}
