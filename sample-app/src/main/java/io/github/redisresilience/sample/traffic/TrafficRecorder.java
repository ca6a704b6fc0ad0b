package io.github.redisresilience.sample.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the traffic generator saw, second by second: operations completed, failed, and how long they
 * took. An operation counts in the second it completed, as the application saw its answer: one that
 * started in an outage and timed out after the heal is a failure after the heal, and recovery is
 * judged by when operations complete successfully again.
 */
public class TrafficRecorder {

	/**
	 * How long after a second ended its record is taken as complete: operations are recorded as
	 * they complete, so only the recording itself can lag.
	 */
	public static final Duration SETTLE = Duration.ofSeconds(1);

	private final Clock clock;

	private final long keepSeconds;

	private final TreeMap<Long, Bucket> seconds = new TreeMap<>();

	private final AtomicLong operations = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	public TrafficRecorder(Clock clock, Duration history) {
		this.clock = clock;
		this.keepSeconds = Math.max(60, history.toSeconds());
	}

	/**
	 * Records one operation.
	 * @param started when it started
	 * @param took how long it took
	 * @param error why it failed, or {@code null} if it succeeded
	 */
	public void record(Instant started, Duration took, @Nullable String error) {
		Instant completed = started.plus(took);
		this.operations.incrementAndGet();
		if (error != null) {
			this.failures.incrementAndGet();
			this.lastError = error;
			this.lastErrorAt = completed;
		}
		long second = completed.getEpochSecond();
		synchronized (this.seconds) {
			this.seconds.computeIfAbsent(second, (ignored) -> new Bucket()).add(took, error != null);
			long oldest = this.clock.instant().getEpochSecond() - this.keepSeconds;
			while (!this.seconds.isEmpty() && this.seconds.firstKey() < oldest) {
				this.seconds.pollFirstEntry();
			}
		}
	}

	/**
	 * The last seconds, oldest first, seconds without any operation included as empty.
	 * @param count how many seconds, up to the current one
	 * @return one entry per second
	 */
	public List<Second> lastSeconds(int count) {
		long now = this.clock.instant().getEpochSecond();
		List<Second> result = new ArrayList<>(count);
		synchronized (this.seconds) {
			for (long second = now - count + 1; second <= now; second++) {
				Bucket bucket = this.seconds.get(second);
				result.add((bucket != null) ? bucket.toSecond(second) : Second.empty(second));
			}
		}
		return result;
	}

	/**
	 * Totals over the operations that completed in {@code [from, to)}.
	 * @param from the start, inclusive
	 * @param to the end, exclusive
	 * @return the totals
	 */
	public Totals between(Instant from, Instant to) {
		long operations = 0;
		long failures = 0;
		synchronized (this.seconds) {
			// Whole seconds: the recorder keeps nothing finer.
			for (Map.Entry<Long, Bucket> entry : this.seconds
				.subMap(from.getEpochSecond(), true, to.getEpochSecond(), false)
				.entrySet()) {
				operations += entry.getValue().operations;
				failures += entry.getValue().failures;
			}
		}
		return new Totals(operations, failures);
	}

	/**
	 * The start of the first whole second after {@code from} in which operations ran and all of
	 * them succeeded, by when operations completed. Only seconds that ended {@link #SETTLE} ago
	 * count.
	 * @param from where to start looking
	 * @return the start of that second, or {@code null} if none is known yet
	 */
	public @Nullable Instant firstCleanSecondAfter(Instant from) {
		long first = from.getEpochSecond() + ((from.getNano() > 0) ? 1 : 0);
		long settled = this.clock.instant().minus(SETTLE).getEpochSecond();
		synchronized (this.seconds) {
			for (Map.Entry<Long, Bucket> entry : this.seconds.tailMap(first, true).entrySet()) {
				if (entry.getKey() + 1 > settled) {
					return null;
				}
				Bucket bucket = entry.getValue();
				if (bucket.operations > 0 && bucket.failures == 0) {
					return Instant.ofEpochSecond(entry.getKey());
				}
			}
		}
		return null;
	}

	/**
	 * Totals since the application started.
	 * @return the totals
	 */
	public Totals total() {
		return new Totals(this.operations.get(), this.failures.get());
	}

	/**
	 * The most recent failure's message.
	 * @return the message, or {@code null} if nothing failed yet
	 */
	public @Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * When the most recent failure's operation started.
	 * @return the instant, or {@code null} if nothing failed yet
	 */
	public @Nullable Instant lastErrorAt() {
		return this.lastErrorAt;
	}

	/**
	 * Operations and failures over some time.
	 *
	 * @param operations operations started
	 * @param failures those that failed
	 */
	public record Totals(long operations, long failures) {
	}

	/**
	 * One second of traffic.
	 *
	 * @param epochSecond the second
	 * @param operations operations started in it
	 * @param failures those that failed
	 * @param averageMillis their mean duration
	 * @param maxMillis the longest one
	 */
	public record Second(long epochSecond, long operations, long failures, double averageMillis, double maxMillis) {

		static Second empty(long epochSecond) {
			return new Second(epochSecond, 0, 0, 0, 0);
		}

	}

	private static final class Bucket {

		private long operations;

		private long failures;

		private long totalNanos;

		private long maxNanos;

		void add(Duration took, boolean failed) {
			long nanos = took.toNanos();
			this.operations++;
			this.failures += failed ? 1 : 0;
			this.totalNanos += nanos;
			this.maxNanos = Math.max(this.maxNanos, nanos);
		}

		Second toSecond(long epochSecond) {
			double average = (this.operations > 0) ? this.totalNanos / 1e6 / this.operations : 0;
			return new Second(epochSecond, this.operations, this.failures, average, this.maxNanos / 1e6);
		}

	}

}
