package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Times out the commands that wait in a node connection's buffers instead of on its channel:
 * the commands Lettuce holds while the connection is down (its disconnected buffer, which also
 * receives the unanswered commands of a lost channel for replay) and, while a connection does
 * not flush on its own, the commands written but not flushed yet.
 * <p>
 * Routed commands carry no Lettuce timer of their own ({@link AttemptTimeouts}): on a channel
 * the retry's sweep ends their attempts ({@link ChannelCommandRetry}), and here each connection's
 * buffers are looked at as often, on the event loop of its first channel, for as long as the
 * connection is open. A command is timed out once it has been seen waiting for the overall
 * deadline, with the exception Lettuce's timer raises: no caller, blocking, asynchronous or
 * reactive, waits on a connection that does not come back. A buffer is empty while its connection
 * is up, so the look costs two reads per connection and period.
 * <p>
 * Lettuce keeps both buffers in private fields of {@link DefaultEndpoint} (the same in Lettuce
 * 6.8 and 7.5), read by reflection, with a runtime hint for native images. Without them
 * ({@link #isAvailable()} false), routed commands keep Lettuce's timer.
 */
final class BufferedCommandTimeouts {

	private static final Log logger = LogFactory.getLog(BufferedCommandTimeouts.class);

	static final String DISCONNECTED_BUFFER = "disconnectedBuffer";

	static final String COMMAND_BUFFER = "commandBuffer";

	private static final @Nullable Field DISCONNECTED = buffer(DISCONNECTED_BUFFER);

	private static final @Nullable Field UNFLUSHED = buffer(COMMAND_BUFFER);

	private final Duration deadline;

	private final long deadlineNanos;

	private final long periodNanos;

	/** The connections looked at, each with its look; a connection's channels all share it. */
	private final Map<DefaultEndpoint, ScheduledFuture<?>> watched = new ConcurrentHashMap<>();

	private volatile boolean looking = true;

	/**
	 * @param deadline how long a command may wait in a buffer: the overall deadline
	 * @param period how often the buffers are looked at
	 */
	BufferedCommandTimeouts(Duration deadline, Duration period) {
		this.deadline = deadline;
		this.deadlineNanos = deadline.toNanos();
		this.periodNanos = period.toNanos();
	}

	/**
	 * Whether this Lettuce keeps its buffers where they can be read.
	 * @return {@code true} if routed commands can go without Lettuce's timer
	 */
	static boolean isAvailable() {
		return DISCONNECTED != null && UNFLUSHED != null;
	}

	private static @Nullable Field buffer(String name) {
		Field field = ReflectionUtils.findField(DefaultEndpoint.class, name, Queue.class);
		if (field == null) {
			logger.debug("Lettuce's DefaultEndpoint has no '" + name + "' queue: routed commands keep Lettuce's timer");
			return null;
		}
		try {
			ReflectionUtils.makeAccessible(field);
			return field;
		}
		catch (RuntimeException ex) {
			logger.debug("Cannot read Lettuce's DefaultEndpoint." + name + ": routed commands keep Lettuce's timer", ex);
			return null;
		}
	}

	/**
	 * Look at a connection's buffers from now on, unless already looked at.
	 * @param endpoint the connection's endpoint
	 * @param eventLoop the event loop of one of its channels, where the look runs
	 * @return whether its buffers are looked at
	 */
	boolean watch(DefaultEndpoint endpoint, EventLoop eventLoop) {
		if (!isAvailable() || endpoint.isClosed()) {
			return false;
		}
		if (this.watched.containsKey(endpoint)) {
			return true;
		}
		try {
			this.watched.computeIfAbsent(endpoint, (key) -> {
				Look look = new Look(key);
				return eventLoop.scheduleAtFixedRate(look::run, this.periodNanos, this.periodNanos,
						TimeUnit.NANOSECONDS);
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			// The client's event loops are shutting down: nothing is written any more.
			logger.debug("Not looking at the buffers of " + endpoint.getId() + ": " + ex);
			return false;
		}
	}

	/** Leave every buffer alone from now on: the negative control of the tests. */
	void stopLooking() {
		this.looking = false;
	}

	/**
	 * The look at one connection's buffers, always run on the same event loop: its record of
	 * when each waiting command was first seen is touched by nothing else.
	 */
	private final class Look {

		private final DefaultEndpoint endpoint;

		private Map<RedisCommand<?, ?, ?>, Long> firstSeen = new IdentityHashMap<>();

		Look(DefaultEndpoint endpoint) {
			this.endpoint = endpoint;
		}

		void run() {
			if (this.endpoint.isClosed()) {
				ScheduledFuture<?> look = BufferedCommandTimeouts.this.watched.remove(this.endpoint);
				if (look != null) {
					look.cancel(false);
				}
				return;
			}
			if (!BufferedCommandTimeouts.this.looking) {
				return;
			}
			Queue<?> disconnected = queue(DISCONNECTED);
			Queue<?> unflushed = queue(UNFLUSHED);
			if (isEmpty(disconnected) && isEmpty(unflushed)) {
				if (!this.firstSeen.isEmpty()) {
					this.firstSeen = new IdentityHashMap<>();
				}
				return;
			}
			long now = System.nanoTime();
			Map<RedisCommand<?, ?, ?>, Long> seen = new IdentityHashMap<>();
			List<RedisCommand<?, ?, ?>> overdue = new ArrayList<>();
			collect(disconnected, now, seen, overdue);
			collect(unflushed, now, seen, overdue);
			this.firstSeen = seen;
			// Completed after the walk: a caller woken here may write to this connection at once.
			for (RedisCommand<?, ?, ?> command : overdue) {
				command.completeExceptionally(new RedisCommandTimeoutException(
						"Command timed out after " + BufferedCommandTimeouts.this.deadline.toMillis() + " millisecond(s)"));
			}
		}

		private void collect(@Nullable Queue<?> buffer, long now, Map<RedisCommand<?, ?, ?>, Long> seen,
				List<RedisCommand<?, ?, ?>> overdue) {
			if (buffer == null) {
				return;
			}
			for (Object element : buffer) {
				if (!(element instanceof RedisCommand<?, ?, ?> command) || command.isDone()) {
					continue;
				}
				Long since = this.firstSeen.get(command);
				long first = (since != null) ? since : now;
				if (now - first >= BufferedCommandTimeouts.this.deadlineNanos) {
					overdue.add(command);
				}
				else {
					seen.put(command, first);
				}
			}
		}

		private @Nullable Queue<?> queue(@Nullable Field field) {
			Object value = (field != null) ? ReflectionUtils.getField(field, this.endpoint) : null;
			return (value instanceof Queue<?> queue) ? queue : null;
		}

		private static boolean isEmpty(@Nullable Queue<?> buffer) {
			return buffer == null || buffer.isEmpty();
		}

	}

}
