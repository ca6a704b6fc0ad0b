package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection on which commands wait for their reply but nothing has come back for a
 * while.
 * <p>
 * A frozen Redis process (a long pause, a throttled container, SIGSTOP) keeps its connections
 * open and its kernel acknowledges what is sent, so neither TCP keepalive nor TCP_USER_TIMEOUT
 * notices it, and Lettuce only times out the commands, keeping the connection. Commands sent on it
 * meanwhile wait in the frozen node's socket buffer; when the node wakes up after its replica was
 * promoted, it may acknowledge them in the instant before it learns it was demoted, and then drop
 * them when it resynchronises: writes the application believes stored are lost. Closing the
 * connection first means no such acknowledgement can arrive: a new connection is only used once
 * its handshake is answered, by which time the woken node has read the cluster's news.
 * <p>
 * Blocking commands (BLPOP, XREAD BLOCK, WAIT...) and subscriptions legitimately wait for an
 * answer, so a connection with one outstanding is left alone.
 */
final class UnansweredConnectionCloser implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(UnansweredConnectionCloser.class);

	private static final Set<String> WAITING_COMMANDS = Set.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP",
			"BZPOPMIN", "BZPOPMAX", "BZMPOP", "XREAD", "XREADGROUP", "WAIT", "WAITAOF", "SUBSCRIBE", "PSUBSCRIBE",
			"SSUBSCRIBE", "MONITOR");

	private final long limitNanos;

	private final long checkPeriodMillis;

	private final Consumer<UnansweredConnectionClosedEvent> listener;

	private final LongSupplier nanoTime;

	/**
	 * Create a closer.
	 * @param limit how long sent commands may stay without any answer before the connection is
	 * closed
	 * @param listener told about each connection closed, from the connection's event loop
	 */
	public UnansweredConnectionCloser(Duration limit, Consumer<UnansweredConnectionClosedEvent> listener) {
		this(limit, listener, System::nanoTime);
	}

	/**
	 * Create a closer that reads the time from the given source, so that tests decide how long a
	 * node stays silent instead of depending on how the machine schedules their thread.
	 * @param limit how long sent commands may stay without any answer before the connection is
	 * closed
	 * @param listener told about each connection closed, from the connection's event loop
	 * @param nanoTime a monotonic time in nanoseconds, as {@link System#nanoTime()}
	 */
	UnansweredConnectionCloser(Duration limit, Consumer<UnansweredConnectionClosedEvent> listener,
			LongSupplier nanoTime) {
		this.limitNanos = limit.toNanos();
		this.checkPeriodMillis = Math.max(50, limit.toMillis() / 4);
		this.listener = listener;
		this.nanoTime = nanoTime;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		Watch watch = new Watch();
		// Reads are seen at the head, as bytes, before Lettuce's handlers consume them; writes at the
		// tail, as commands, before they are encoded.
		channel.pipeline().addFirst(new ReadObserver(watch));
		channel.pipeline().addLast(new WriteObserver(watch));
	}

	/**
	 * State of one channel, touched only from its event loop.
	 * <p>
	 * What is outstanding is read from Lettuce's {@link CommandHandler} stack: the commands sent and
	 * still waiting for their reply, timed-out ones included (Lettuce keeps them to match replies to
	 * commands). The silence is counted from the last byte read or, when nothing was outstanding,
	 * from the write that started the wait: a node that answers part of a pipeline and then freezes
	 * is caught, and a blocking command anywhere in the stack exempts the connection, even behind
	 * commands that were answered.
	 */
	private final class Watch {

		private long silentSince = -1;

		private @Nullable ScheduledFuture<?> check;

		/** Lettuce's handler, found once: a pipeline lookup on every write costs more than the watch. */
		private @Nullable CommandHandler commandHandler;

		void written(ChannelHandlerContext context, Object message) {
			// This handler sits at the tail: Lettuce's handler has not stacked the command yet.
			if (this.silentSince < 0 || outstanding(context).isEmpty()) {
				this.silentSince = UnansweredConnectionCloser.this.nanoTime.getAsLong();
			}
		}

		void answered() {
			this.silentSince = UnansweredConnectionCloser.this.nanoTime.getAsLong();
		}

		void start(ChannelHandlerContext context) {
			if (this.check == null) {
				this.check = context.executor()
					.scheduleAtFixedRate(() -> check(context), UnansweredConnectionCloser.this.checkPeriodMillis,
							UnansweredConnectionCloser.this.checkPeriodMillis, TimeUnit.MILLISECONDS);
			}
		}

		void stop() {
			if (this.check != null) {
				this.check.cancel(false);
				this.check = null;
			}
		}

		private void check(ChannelHandlerContext context) {
			Collection<?> outstanding = outstanding(context);
			if (outstanding.isEmpty()) {
				this.silentSince = -1;
				return;
			}
			if (this.silentSince < 0 || outstanding.stream().anyMatch(UnansweredConnectionCloser::isWaitingCommand)) {
				return;
			}
			long silentNanos = UnansweredConnectionCloser.this.nanoTime.getAsLong() - this.silentSince;
			if (silentNanos > UnansweredConnectionCloser.this.limitNanos && context.channel().isActive()) {
				logger.warn("Closing the connection to " + context.channel().remoteAddress() + ": "
						+ outstanding.size() + " command(s) waiting, nothing read for "
						+ TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms (is the node frozen?)");
				this.silentSince = -1;
				context.channel().close();
				notifyClosed(context, silentNanos);
			}
		}

		private Collection<?> outstanding(ChannelHandlerContext context) {
			CommandHandler handler = this.commandHandler;
			if (handler == null) {
				handler = context.pipeline().get(CommandHandler.class);
				this.commandHandler = handler;
			}
			return (handler != null) ? handler.getStack() : List.of();
		}

	}

	private void notifyClosed(ChannelHandlerContext context, long silentNanos) {
		try {
			this.listener.accept(new UnansweredConnectionClosedEvent(String.valueOf(context.channel().remoteAddress()),
					Duration.ofNanos(silentNanos), Instant.now()));
		}
		catch (RuntimeException ex) {
			logger.debug("A listener failed on an unanswered connection", ex);
		}
	}

	private static boolean isWaitingCommand(Object message) {
		if (message instanceof RedisCommand<?, ?, ?> command) {
			return WAITING_COMMANDS.contains(command.getType().toString().toUpperCase(Locale.ROOT));
		}
		if (message instanceof Collection<?> commands) {
			return commands.stream().anyMatch(UnansweredConnectionCloser::isWaitingCommand);
		}
		return false;
	}

	private static final class ReadObserver extends ChannelInboundHandlerAdapter {

		private final Watch watch;

		ReadObserver(Watch watch) {
			this.watch = watch;
		}

		@Override
		public void channelActive(ChannelHandlerContext context) throws Exception {
			this.watch.start(context);
			super.channelActive(context);
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
			this.watch.answered();
			super.channelRead(context, message);
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			this.watch.stop();
			super.channelInactive(context);
		}

	}

	private static final class WriteObserver extends ChannelDuplexHandler {

		private final Watch watch;

		WriteObserver(Watch watch) {
			this.watch = watch;
		}

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
			this.watch.written(context, message);
			super.write(context, message, promise);
		}

	}

}
