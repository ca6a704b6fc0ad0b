package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
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
 *
 * @param <K> key type
 * @param <V> value type
 * @param <T> output type
 */
final class Attempt<K, V, T> implements RedisCommand<K, V, T>, DecoratedCommand<K, V, T>, CompleteableCommand<T> {

	@SuppressWarnings("rawtypes")
	private static final CommandOutput DISCARD = new DiscardOutput();

	private final RetriedCall call;

	private final RedisCommand<K, V, T> command;

	private volatile boolean retired;

	private volatile @Nullable ScheduledFuture<?> timer;

	Attempt(RetriedCall call, RedisCommand<K, V, T> command) {
		this.call = call;
		this.command = command;
	}

	RetriedCall call() {
		return this.call;
	}

	/**
	 * Bound the first attempt by the per-attempt timeout: Lettuce's own timer on the command
	 * is the overall deadline, since it completes the caller when it fires.
	 * @param executor the channel's event loop, so that a timeout never races a decode
	 * @param timeout the per-attempt timeout
	 */
	void expireAfter(EventExecutor executor, Duration timeout) {
		this.timer = executor.schedule(() -> {
			if (!this.retired && !this.command.isDone()) {
				completeExceptionally(new RedisCommandTimeoutException(
						"Command timed out after " + timeout.toMillis() + " millisecond(s)"));
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Later replies to this attempt are discarded, and Lettuce treats it as done. */
	void retire() {
		this.retired = true;
		cancelTimer();
	}

	private void cancelTimer() {
		ScheduledFuture<?> pending = this.timer;
		if (pending != null) {
			this.timer = null;
			pending.cancel(false);
		}
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
		cancelTimer();
		this.call.replied(this);
	}

	@Override
	public boolean completeExceptionally(Throwable throwable) {
		if (this.retired) {
			return false;
		}
		cancelTimer();
		return this.call.failed(this, throwable);
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
		this.call.encode(buf);
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
