package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;

/**
 * One command as the caller issued it, across its attempts: when it started, its backoff, the
 * failures so far, and, for a command that runs exactly once, its token. Made by its first
 * {@link Attempt} when that fails or is answered with an error. Attempts follow one another,
 * never overlap, but run on different threads (an event loop, Lettuce's timer executors), hence
 * the synchronized state.
 */
final class RetriedCall {

	private final ChannelCommandRetry retry;

	private final RedisCommand<?, ?, ?> target;

	/** The cluster connection's wrapper the command was routed in; {@code null} leaves it unretried. */
	private final @Nullable RedisCommand<?, ?, ?> routed;

	private final byte @Nullable [] tokenKey;

	private final long started;

	private volatile boolean withSource;

	private int attempts = 1;

	private @Nullable BackOffExecution backOff;

	private @Nullable List<Throwable> failures;

	private @Nullable Failure retrying;

	private @Nullable CommandKind kind;

	/**
	 * The command of a first attempt.
	 * @param retry the retry
	 * @param target the command as the caller issued it, as it reached the channel
	 * @param tokenKey its token key if it runs exactly once, otherwise {@code null}
	 * @param startedNanos when it first reached a channel, in {@link System#nanoTime()}'s terms
	 */
	RetriedCall(ChannelCommandRetry retry, RedisCommand<?, ?, ?> target, byte @Nullable [] tokenKey,
			long startedNanos) {
		this.retry = retry;
		this.target = target;
		this.routed = CommandChain.routedOf(target);
		this.tokenKey = tokenKey;
		this.started = startedNanos;
	}

	ChannelCommandRetry retry() {
		return this.retry;
	}

	/** The cluster writer that routed the command, the one later attempts are written into. */
	private @Nullable RedisChannelWriter writer() {
		return (this.routed != null) ? ClusterWriters.of(this.routed) : null;
	}

	void encode(ByteBuf buf) {
		byte[] token = this.tokenKey;
		if (token == null) {
			this.target.encode(buf);
			return;
		}
		this.retry.tokenScript().encode(buf, this.target, token, this.withSource);
	}

	/**
	 * A reply arrived for the current attempt: an error reply of a command that did not run is
	 * retried, anything else completes the command (MOVED and ASK included, which Lettuce's
	 * {@code ClusterCommand} follows).
	 */
	void replied(Attempt<?, ?, ?> attempt) {
		CommandOutput<?, ?, ?> output = this.target.getOutput();
		String error = (output != null) ? output.getError() : null;
		if (error == null || error.startsWith("MOVED") || error.startsWith("ASK")) {
			succeeded();
			this.target.complete();
			return;
		}
		RedisChannelWriter writer = writer();
		if (this.tokenKey != null && TokenScript.isNoScript(error) && !this.withSource && writer != null) {
			// The node lost its scripts (restarted, or new): nothing ran; send the source at once.
			this.withSource = true;
			output.setError((String) null);
			attempt.retire();
			next(writer);
			return;
		}
		RedisException failure = asFailure(error);
		long delay = nextDelay(Failure.of(failure), failure);
		if (delay >= 0) {
			// Lettuce clears a redirect's error the same way before it sends the command again.
			output.setError((String) null);
			if (retryLater(attempt, delay)) {
				return;
			}
			output.setError(error);
		}
		if (attemptCount() == 1) {
			this.target.complete();
			return;
		}
		this.target.completeExceptionally(finalFailure(failure));
	}

	/**
	 * An error in the output is not always the server's: when Lettuce closes a node connection
	 * (stale after a topology change) it completes the commands still waiting with the error
	 * "Connection closed" in their output, a lost connection (ambiguous), not an error reply.
	 */
	private static RedisException asFailure(String error) {
		RedisException state = new RedisException(error);
		return (Failure.of(state).kind() != FailureKind.PERMANENT) ? state : new RedisCommandExecutionException(error);
	}

	/**
	 * The current attempt failed without a reply (I/O error, timeout, lost connection, no
	 * connection or node for a later attempt).
	 */
	boolean failed(Attempt<?, ?, ?> attempt, Throwable failure) {
		if (this.target.isDone()) {
			return false;
		}
		if (writerClosed(failure)) {
			return this.target.completeExceptionally(finalFailure(failure, "its connection was closed"));
		}
		long delay = nextDelay(Failure.of(failure), failure);
		if (delay >= 0 && retryLater(attempt, delay)) {
			return true;
		}
		return this.target.completeExceptionally(finalFailure(failure));
	}

	/**
	 * The cluster writer rejects every later attempt once the caller's connection is closed: no
	 * use retrying. The same message from a node connection (closed as stale by a topology
	 * refresh while the attempt was routed to it) is retried.
	 */
	private boolean writerClosed(Throwable failure) {
		RedisChannelWriter writer = writer();
		return attemptCount() > 1 && failure instanceof RedisException && "Connection is closed".equals(failure.getMessage())
				&& (writer == null || ClusterWriters.isClosed(writer));
	}

	private synchronized int attemptCount() {
		return this.attempts;
	}

	/**
	 * The delay before the next attempt, or -1 if none is made.
	 */
	private synchronized long nextDelay(Failure failure, Throwable cause) {
		addFailure(cause);
		if (!this.retry.rules().mayRetry(kind(), failure) || this.target.isCancelled()
				|| this.attempts >= this.retry.settings().getMaxAttempts() || writer() == null) {
			return -1;
		}
		if (this.backOff == null) {
			this.backOff = this.retry.policy().getBackOff().start();
		}
		long delay = this.backOff.nextBackOff();
		if (delay == BackOffExecution.STOP
				|| elapsed().toMillis() + delay >= this.retry.settings().getBudget().toMillis()) {
			return -1;
		}
		countRetry(false);
		this.retrying = failure;
		this.retry.logRetry(this.target.getType().toString(), failure, this.attempts, cause);
		return delay;
	}

	private CommandKind kind() {
		CommandKind known = this.kind;
		if (known == null) {
			known = (this.tokenKey != null) ? CommandKind.IDEMPOTENT_WRITE : CommandTable.ambiguousKindOf(this.target);
			this.kind = known;
		}
		return known;
	}

	private void addFailure(Throwable cause) {
		if (this.failures == null) {
			this.failures = new ArrayList<>(4);
		}
		this.failures.add(cause);
	}

	/**
	 * Schedules the next attempt, unless the client's resources are shutting down (the
	 * application is stopping): then the command ends with the failure it has.
	 * @return whether the next attempt is scheduled
	 */
	private boolean retryLater(Attempt<?, ?, ?> attempt, long delayMillis) {
		RedisChannelWriter writer = writer();
		if (writer == null) {
			return false;
		}
		attempt.retire();
		return LaterAttempts.schedule(writer.getClientResources(), () -> next(writer), delayMillis);
	}

	/** Route the next attempt by slot, as the caller's connection routes a new command. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private void next(RedisChannelWriter writer) {
		if (this.target.isDone() || this.target.isCancelled()) {
			return;
		}
		synchronized (this) {
			this.attempts++;
		}
		Attempt<?, ?, ?> attempt = new Attempt(this, this.target);
		try {
			writer.write(attempt);
		}
		catch (RuntimeException ex) {
			attempt.completeExceptionally(ex);
		}
	}

	private void succeeded() {
		if (this.retrying != null) {
			countRetry(true);
		}
	}

	private synchronized void countRetry(boolean recovered) {
		Failure pending = this.retrying;
		if (pending != null) {
			this.retrying = null;
			this.retry.metrics().retried(pending.reason(), recovered);
		}
	}

	/**
	 * The failure the caller sees: the last attempt's, with a summary once retrying was given up
	 * on (or the budget was spent by a single retriable attempt), as the connection-level retry
	 * reported it.
	 */
	private Throwable finalFailure(Throwable last) {
		return finalFailure(last, null);
	}

	private synchronized Throwable finalFailure(Throwable last, @Nullable String stopReason) {
		List<Throwable> all = (this.failures != null) ? this.failures : List.of(last);
		Failure failure = Failure.of(last);
		boolean retriable = this.retry.rules().mayRetry(kind(), failure);
		// max-attempts=1 switches retries off: nothing was given up on.
		if (this.attempts == 1 && (!retriable || this.retry.settings().getMaxAttempts() == 1)) {
			return last;
		}
		countRetry(false);
		Duration elapsed = elapsed();
		RedisRetriesExhaustedException summary = new RedisRetriesExhaustedException(
				this.target.getType().toString(), this.attempts, elapsed,
				(stopReason != null) ? stopReason : stopReason(failure, retriable));
		this.retry.metrics().exhausted(failure.reason());
		for (Throwable earlier : all) {
			if (earlier != last) {
				summary.addSuppressed(earlier);
			}
		}
		last.addSuppressed(summary);
		return last;
	}

	private String stopReason(Failure failure, boolean retriable) {
		if (!retriable) {
			return "the last failure (" + failure.reason() + ") is not retried for " + this.target.getType();
		}
		if (this.attempts >= this.retry.settings().getMaxAttempts()) {
			return "redis.resilience.retry.max-attempts (" + this.retry.settings().getMaxAttempts() + ") reached";
		}
		return "no attempt fits in what remains of redis.resilience.retry.budget ("
				+ this.retry.settings().getBudget().toMillis() + "ms)";
	}

	private Duration elapsed() {
		return Duration.ofNanos(System.nanoTime() - this.started);
	}

}
