package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.DecoratedCommand;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a routed command: what Lettuce's {@code CommandHandler} stacks, encodes and
 * completes in place of the command itself.
 * <p>
 * The first attempt is put around the command as it reaches the channel (see
 * {@link ChannelCommandRetry}); later ones are written into the cluster writer that routed the
 * command, which wraps them in a new {@code ClusterCommand} and routes them by slot with the
 * topology it has then, as Lettuce does with commands of a closed node connection. An attempt
 * that fails in a way the rules retry does not complete the command: it retires (a late reply
 * to it is discarded) and the next attempt is scheduled. Any other outcome completes the
 * command, so the caller, blocking, asynchronous or reactive, sees one completion.
 * <p>
 * A first attempt is the only object the retry adds to a command that succeeds: what the
 * command's attempts share ({@link RetriedCall}: its backoff, its failures) is made only once
 * it fails or is answered with an error.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <T> output type
 */
final class Attempt<K, V, T> implements RedisCommand<K, V, T>, DecoratedCommand<K, V, T>, CompleteableCommand<T> {

	@SuppressWarnings("rawtypes")
	private static final CommandOutput DISCARD = new DiscardOutput();

	private final ChannelCommandRetry retry;

	private final RedisCommand<K, V, T> command;

	/** The token of a first attempt that runs exactly once; later attempts take it from their call. */
	private final byte @Nullable [] tokenKey;

	/** The command across its attempts: set for later attempts, made when needed for a first one. */
	private @Nullable RetriedCall call;

	private volatile boolean retired;

	/** Whether this is a first attempt, timed out by its channel's sweep. */
	private boolean timed;

	/** When a first attempt was written, in {@link System#nanoTime()}'s terms. */
	private long writtenNanos;

	/**
	 * A first attempt.
	 * @param retry the retry
	 * @param command the command as the caller issued it, as it reached the channel
	 * @param tokenKey its token key if it runs exactly once, otherwise {@code null}
	 */
	Attempt(ChannelCommandRetry retry, RedisCommand<K, V, T> command, byte @Nullable [] tokenKey) {
		this.retry = retry;
		this.command = command;
		this.tokenKey = tokenKey;
	}

	/**
	 * A later attempt.
	 * @param call the command across its attempts
	 * @param command the command as the caller issued it
	 */
	Attempt(RetriedCall call, RedisCommand<K, V, T> command) {
		this.retry = call.retry();
		this.command = command;
		this.tokenKey = null;
		this.call = call;
	}

	/**
	 * The command across its attempts, made on a first attempt's first failure or error reply.
	 * Synchronized: the sweep, the channel and a writer may fail the same attempt.
	 */
	synchronized RetriedCall call() {
		RetriedCall existing = this.call;
		if (existing == null) {
			long started = this.timed ? this.writtenNanos : System.nanoTime();
			existing = new RetriedCall(this.retry, this.command, this.tokenKey, started);
			this.call = existing;
		}
		return existing;
	}

	/**
	 * Bound the first attempt by the per-attempt timeout. The deadline is checked by its
	 * channel's sweep ({@link ChannelCommandRetry}), not by a timer of its own: a timer per
	 * command costs more than the command's own encoding, which is also why the command carries
	 * no Lettuce timer ({@link AttemptTimeouts}).
	 * @param nowNanos the time the attempt is written
	 */
	void written(long nowNanos) {
		this.writtenNanos = nowNanos;
		this.timed = true;
	}

	/** When this first attempt times out, in {@link System#nanoTime()}'s terms. */
	long deadlineNanos() {
		return this.writtenNanos + this.retry.attemptTimeoutNanos();
	}

	/**
	 * Whether this first attempt is due to time out: unanswered past its deadline.
	 * @param nowNanos the time now
	 * @return {@code true} if {@link #timeOut} should be called
	 */
	boolean isOverdue(long nowNanos) {
		return this.timed && nowNanos - deadlineNanos() >= 0 && !this.retired && !this.command.isDone();
	}

	/**
	 * Whether this first attempt has a deadline that is still to come.
	 * @param nowNanos the time now
	 * @return {@code true} while the deadline lies ahead
	 */
	boolean isBefore(long nowNanos) {
		return this.timed && nowNanos - deadlineNanos() < 0;
	}

	/**
	 * End this attempt with Lettuce's timeout exception, as its own timer would.
	 * @param timeout the per-attempt timeout, for the message
	 */
	void timeOut(Duration timeout) {
		if (!this.retired && !this.command.isDone()) {
			completeExceptionally(new RedisCommandTimeoutException(
					"Command timed out after " + timeout.toMillis() + " millisecond(s)"));
		}
	}

	/** Later replies to this attempt are discarded, and Lettuce treats it as done. */
	void retire() {
		this.retired = true;
	}

	@Override
	@SuppressWarnings("unchecked")
	public CommandOutput<K, V, T> getOutput() {
		return this.retired ? DISCARD : this.command.getOutput();
	}

	@Override
	public void complete() {
		if (this.retired) {
			return;
		}
		RetriedCall existing = this.call;
		if (existing == null) {
			// A first attempt answered without an error: the common case, settled here.
			CommandOutput<K, V, T> output = this.command.getOutput();
			if (output == null || output.getError() == null) {
				this.command.complete();
				return;
			}
			existing = call();
		}
		existing.replied(this);
	}

	@Override
	public boolean completeExceptionally(Throwable throwable) {
		if (this.retired) {
			return false;
		}
		return call().failed(this, throwable);
	}

	@Override
	public void cancel() {
		retire();
		this.command.cancel();
	}

	@Override
	public CommandArgs<K, V> getArgs() {
		return this.command.getArgs();
	}

	@Override
	public ProtocolKeyword getType() {
		return this.command.getType();
	}

	@Override
	public void encode(ByteBuf buf) {
		RetriedCall existing = this.call;
		if (existing != null) {
			existing.encode(buf);
		}
		else if (this.tokenKey != null) {
			this.retry.tokenScript().encode(buf, this.command, this.tokenKey, false);
		}
		else {
			this.command.encode(buf);
		}
	}

	@Override
	public boolean isCancelled() {
		return this.command.isCancelled();
	}

	@Override
	public boolean isDone() {
		return this.retired || this.command.isDone();
	}

	@Override
	public void setOutput(CommandOutput<K, V, T> output) {
		this.command.setOutput(output);
	}

	@Override
	public RedisCommand<K, V, T> getDelegate() {
		return this.command;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onComplete(Consumer<? super T> action) {
		if (this.command instanceof CompleteableCommand<?> completeable) {
			((CompleteableCommand<T>) completeable).onComplete(action);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onComplete(BiConsumer<? super T, Throwable> action) {
		if (this.command instanceof CompleteableCommand<?> completeable) {
			((CompleteableCommand<T>) completeable).onComplete(action);
		}
	}

	@Override
	public String toString() {
		return "Attempt [" + this.command + "]";
	}

}
