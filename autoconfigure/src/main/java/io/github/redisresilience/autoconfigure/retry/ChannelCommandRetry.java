package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.retry.RetryPolicy;

/**
 * Retries Redis commands where Lettuce dispatches them, below Spring Data: every channel gets an
 * outbound handler right after Lettuce's {@code CommandHandler} (outbound writes pass it first)
 * that puts each command Lettuce routed by slot into a first {@link Attempt}. Spring Data's
 * factory, connections and native connections stay exactly what they are; blocking,
 * asynchronous and reactive commands all reach the channel the same way, so one mechanism
 * serves them all.
 * <p>
 * Not wrapped: commands not routed by a cluster connection (the starter's own topology reads,
 * node connections asked for by id), and commands that are never retried
 * ({@link CommandTable}). Delays come from Spring Framework's {@link RetryPolicy} backoff and
 * are scheduled on Lettuce's event executors, never slept on an event loop.
 */
final class ChannelCommandRetry implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(ChannelCommandRetry.class);

	/** The sweep that times first attempts out runs at most this often. */
	private static final Duration MIN_SWEEP_PERIOD = Duration.ofMillis(10);

	/** The sweep that times first attempts out runs at least this often (Lettuce's own timer ticks as often). */
	private static final Duration MAX_SWEEP_PERIOD = Duration.ofMillis(100);

	private final RedisResilienceRetryProperties settings;

	private final RetryRules rules;

	private final RetryPolicy policy;

	private final RetryMetrics metrics;

	private final TokenScript tokenScript;

	private final Duration attemptTimeout;

	private final long attemptTimeoutNanos;

	private final long sweepPeriodNanos;

	private final Consumer<AttemptsTimedOutEvent> timeouts;

	private final AttemptTimeouts attemptTimeouts;

	private final BufferedCommandTimeouts buffers;

	private final Handler handler = new Handler();

	/**
	 * Create the retry.
	 * @param settings the retry's settings
	 * @param metrics where retries are counted
	 * @param attemptTimeout the per-attempt timeout
	 * @param timeouts told, from a channel's event loop, when attempts on it timed out
	 */
	ChannelCommandRetry(RedisResilienceRetryProperties settings, RetryMetrics metrics, Duration attemptTimeout,
			Consumer<AttemptsTimedOutEvent> timeouts) {
		this(settings, metrics, new AttemptTimeouts(attemptTimeout, settings.getBudget()), timeouts);
	}

	/**
	 * Create the retry.
	 * @param settings the retry's settings
	 * @param metrics where retries are counted
	 * @param attemptTimeouts the per-attempt timeout and overall deadline, told once the retry
	 * times routed commands out itself
	 * @param timeouts told, from a channel's event loop, when attempts on it timed out
	 */
	ChannelCommandRetry(RedisResilienceRetryProperties settings, RetryMetrics metrics, AttemptTimeouts attemptTimeouts,
			Consumer<AttemptsTimedOutEvent> timeouts) {
		Duration attemptTimeout = attemptTimeouts.attemptTimeout();
		this.settings = settings;
		this.timeouts = timeouts;
		this.attemptTimeouts = attemptTimeouts;
		this.rules = new RetryRules(settings.getAmbiguous());
		this.metrics = metrics;
		this.attemptTimeout = attemptTimeout;
		this.attemptTimeoutNanos = attemptTimeout.toNanos();
		this.sweepPeriodNanos = sweepPeriod(attemptTimeout).toNanos();
		this.buffers = new BufferedCommandTimeouts(attemptTimeouts.overallDeadline(), sweepPeriod(attemptTimeout));
		this.tokenScript = new TokenScript(settings.getExactlyOnce(), settings.getExactlyOnceTtl());
		this.policy = RetryPolicy.builder()
			.maxRetries(settings.getMaxAttempts() - 1L)
			.delay(settings.getInitialBackoff())
			.multiplier(settings.getMultiplier())
			.maxDelay(settings.getMaxBackoff())
			// Spring's backoff scales an absolute jitter with the delay: against the first delay it
			// varies every delay by the configured fraction.
			.jitter(Duration.ofMillis((long) (settings.getInitialBackoff().toMillis() * settings.getJitter())))
			.timeout(settings.getBudget())
			.build();
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		CommandHandler commandHandler = channel.pipeline().get(CommandHandler.class);
		if (commandHandler == null) {
			return;
		}
		channel.pipeline().addAfter(channel.pipeline().context(commandHandler).name(), "redisResilienceCommandRetry",
				this.handler);
		ScheduledFuture<?> sweep = channel.eventLoop()
			.scheduleAtFixedRate(() -> timeOutOverdueAttempts(channel, commandHandler), this.sweepPeriodNanos,
					this.sweepPeriodNanos, TimeUnit.NANOSECONDS);
		channel.closeFuture().addListener((closed) -> sweep.cancel(false));
		if (commandHandler.getEndpoint() instanceof DefaultEndpoint endpoint
				&& this.buffers.watch(endpoint, channel.eventLoop())) {
			this.attemptTimeouts.markTimedByRetry();
		}
	}

	/**
	 * How often a channel looks for first attempts past their per-attempt timeout: a tenth of it,
	 * within 10 to 100 ms, so an attempt ends at most that much after its timeout.
	 * @param attemptTimeout the per-attempt timeout
	 * @return the sweep period
	 */
	static Duration sweepPeriod(Duration attemptTimeout) {
		Duration tenth = attemptTimeout.dividedBy(10);
		if (tenth.compareTo(MIN_SWEEP_PERIOD) < 0) {
			return MIN_SWEEP_PERIOD;
		}
		return (tenth.compareTo(MAX_SWEEP_PERIOD) > 0) ? MAX_SWEEP_PERIOD : tenth;
	}

	/**
	 * Time out the first attempts a channel's commands have been waiting on for longer than the
	 * per-attempt timeout. Runs on the channel's event loop, as every read of Lettuce's stack does,
	 * so a timeout never races a decode. Attempts are stacked in the order they were written, all
	 * with the same timeout, so the walk stops at the first one still within it. The timeouts of
	 * one sweep are reported as one event.
	 */
	private void timeOutOverdueAttempts(Channel channel, CommandHandler commandHandler) {
		long now = System.nanoTime();
		List<Attempt<?, ?, ?>> overdue = null;
		for (RedisCommand<?, ?, ?> command : commandHandler.getStack()) {
			if (CommandChain.unwrapped(command) instanceof Attempt<?, ?, ?> attempt) {
				if (attempt.isBefore(now)) {
					break;
				}
				if (attempt.isOverdue(now)) {
					overdue = (overdue != null) ? overdue : new ArrayList<>();
					overdue.add(attempt);
				}
			}
		}
		// Ended after the walk: a caller woken by the timeout may write on this channel at once.
		if (overdue == null) {
			return;
		}
		// Stacked in the order they were written: the last one was sent last.
		long newestDeadline = overdue.get(overdue.size() - 1).deadlineNanos();
		for (Attempt<?, ?, ?> attempt : overdue) {
			attempt.timeOut(this.attemptTimeout);
		}
		report(new AttemptsTimedOutEvent(String.valueOf(channel.remoteAddress()), overdue.size(),
				newestDeadline - this.attemptTimeout.toNanos()));
	}

	/** A listener that throws must not end the sweep: a periodic task that throws is not run again. */
	private void report(AttemptsTimedOutEvent event) {
		try {
			this.timeouts.accept(event);
		}
		catch (RuntimeException ex) {
			logger.debug("A listener failed on timed-out attempts to " + event.remoteAddress(), ex);
		}
	}

	RedisResilienceRetryProperties settings() {
		return this.settings;
	}

	RetryRules rules() {
		return this.rules;
	}

	RetryPolicy policy() {
		return this.policy;
	}

	RetryMetrics metrics() {
		return this.metrics;
	}

	long attemptTimeoutNanos() {
		return this.attemptTimeoutNanos;
	}

	TokenScript tokenScript() {
		return this.tokenScript;
	}

	BufferedCommandTimeouts buffers() {
		return this.buffers;
	}

	/**
	 * The command to write in place of one that reaches a channel.
	 * @param command the command written
	 * @param ctx the handler's context
	 * @return a first attempt, or the command itself when it is not retried here
	 */
	RedisCommand<?, ?, ?> firstAttempt(RedisCommand<?, ?, ?> command, ChannelHandlerContext ctx) {
		boolean routed = false;
		RedisCommand<?, ?, ?> current = command;
		while (current != null) {
			if (current instanceof Attempt<?, ?, ?>) {
				return command;
			}
			routed = routed || ClusterWriters.isRouted(current);
			current = CommandChain.delegateOf(current);
		}
		if (!routed || command.isDone() || CommandTable.kindOf(command) == CommandKind.NEVER_RETRIED) {
			return command;
		}
		byte[] tokenKey = this.tokenScript.isEnabled() ? this.tokenScript.tokenKeyFor(command) : null;
		@SuppressWarnings({ "rawtypes", "unchecked" })
		Attempt<?, ?, ?> attempt = new Attempt(this, command, tokenKey);
		attempt.written(System.nanoTime());
		return attempt;
	}

	void logRetry(String command, Failure failure, int attempt, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Retrying " + command + " (retry " + attempt + " of at most "
					+ (this.settings.getMaxAttempts() - 1) + ") after a " + failure.kind() + " failure ("
					+ failure.reason() + "): " + cause.getMessage());
		}
	}

	/**
	 * The commands of a batch, each in a first attempt where it would be alone. Lettuce writes the
	 * commands it buffered while disconnected as one batch when it reconnects, and a node that has
	 * just woken up or been demoted can answer them with errors that ran nothing (seen: a frozen
	 * master woken at its failover); a pipeline flushed as a batch is indistinguishable here, so
	 * its commands are retried one by one too.
	 */
	private List<Object> firstAttempts(Collection<?> batch, ChannelHandlerContext ctx) {
		List<Object> attempts = new ArrayList<>(batch.size());
		for (Object message : batch) {
			attempts.add((message instanceof RedisCommand<?, ?, ?> command) ? firstAttempt(command, ctx) : message);
		}
		return attempts;
	}

	/**
	 * Puts single commands into a first attempt; stateless, so one instance serves every channel.
	 */
	@Sharable
	private final class Handler extends ChannelOutboundHandlerAdapter {

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof RedisCommand<?, ?, ?> command) {
				ctx.write(firstAttempt(command, ctx), promise);
				return;
			}
			// Lettuce writes a batch of one as a single command.
			if (msg instanceof List<?> batch && batch.size() == 1 && batch.get(0) instanceof RedisCommand<?, ?, ?> one) {
				ctx.write(firstAttempt(one, ctx), promise);
				return;
			}
			if (msg instanceof Collection<?> batch) {
				ctx.write(firstAttempts(batch, ctx), promise);
				return;
			}
			ctx.write(msg, promise);
		}

	}

}
