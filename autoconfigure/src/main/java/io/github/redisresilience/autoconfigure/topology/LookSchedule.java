package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * When the watcher looks at the topology next: one thread of its own, one look pending at a time,
 * and a look asked for sooner than the pending one replaces it. After each look the next is
 * scheduled after the wait the watcher asks for (see {@link Cadence}).
 */
final class LookSchedule {

	/** Logs as the watcher did before it was split, so that log settings keep their meaning. */
	private static final Log logger = LogFactory.getLog(TopologyWatcher.class);

	/** The longest wait for a running look when the watcher stops: its reads time out sooner. */
	static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	private final Runnable look;

	private final Supplier<Duration> nextDelay;

	private volatile @Nullable ScheduledExecutorService executor;

	private final Object scheduling = new Object();

	private @Nullable ScheduledFuture<?> nextLook;

	private long nextLookNanos;

	/**
	 * @param look one look at the topology, on the schedule's thread
	 * @param nextDelay the wait before the next look, asked after each
	 */
	LookSchedule(Runnable look, Supplier<Duration> nextDelay) {
		this.look = look;
		this.nextDelay = nextDelay;
	}

	/** Starts the schedule's thread; no look is scheduled until {@link #lookIn(Duration)}. */
	void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-resilience-topology");
			thread.setDaemon(true);
			return thread;
		});
	}

	boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * The schedule's thread, where reads and answers are handled.
	 * @return the executor, {@code null} once stopped
	 */
	@Nullable Executor executor() {
		return this.executor;
	}

	/**
	 * Where a read's answer is handled: the schedule's thread, or the caller's once stopped.
	 * @return the executor
	 */
	Executor completion() {
		Executor current = this.executor;
		return (current != null) ? current : Runnable::run;
	}

	/**
	 * Schedules the next look unless one is due sooner.
	 */
	void lookIn(Duration delay) {
		synchronized (this.scheduling) {
			ScheduledExecutorService current = this.executor;
			if (current == null || current.isShutdown()) {
				return;
			}
			long at = System.nanoTime() + delay.toNanos();
			ScheduledFuture<?> pending = this.nextLook;
			if (pending != null && !pending.isDone()) {
				if (this.nextLookNanos - at <= 0) {
					return;
				}
				pending.cancel(false);
			}
			this.nextLook = current.schedule(this::tick, delay.toNanos(), TimeUnit.NANOSECONDS);
			this.nextLookNanos = at;
		}
	}

	void tick() {
		synchronized (this.scheduling) {
			this.nextLook = null;
		}
		try {
			this.look.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Topology check failed", ex);
		}
		finally {
			lookIn(this.nextDelay.get());
		}
	}

	/**
	 * Schedules nothing more; the caller ends the thread with {@link #end} outside its own lock
	 * (a running look may need that lock to finish).
	 * @return the schedule's executor, {@code null} if it was not running
	 */
	@Nullable ScheduledExecutorService halt() {
		ScheduledExecutorService current = this.executor;
		this.executor = null;
		return current;
	}

	/**
	 * Cancels the pending look and waits, at most {@link #STOP_TIMEOUT}, for a running one.
	 * @param halted what {@link #halt()} returned
	 */
	void end(@Nullable ScheduledExecutorService halted) {
		synchronized (this.scheduling) {
			// The stopped executor never runs it: left here, it would hold back every look after a start.
			ScheduledFuture<?> pending = this.nextLook;
			if (pending != null) {
				pending.cancel(false);
			}
			this.nextLook = null;
		}
		if (halted != null) {
			halted.shutdownNow();
			// A look still running could open a reader's connection after the readers are closed.
			awaitTermination(halted);
		}
	}

	private static void awaitTermination(ScheduledExecutorService executor) {
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.debug("The topology watcher's thread did not stop within " + STOP_TIMEOUT.toMillis() + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
