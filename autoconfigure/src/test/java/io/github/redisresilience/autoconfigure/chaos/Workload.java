package io.github.redisresilience.autoconfigure.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.github.redisresilience.autoconfigure.retry.RedisRetriesExhaustedException;

/**
 * A fixed-pace workload through the application's template: each operation writes a unique key,
 * reads it back, and increments a counter of its own ({@code INCR} of a fresh key), keeping a
 * ledger of every write the application saw acknowledged and of every increment's outcome.
 * <p>
 * Each thread starts an operation every {@code pace}; one that ran late is not caught up with a
 * burst. Keys are unique, so a write that failed ambiguously can never overwrite an
 * acknowledged one and the ledger stays exact. With one counter per operation, a doubled
 * increment cannot hide behind a failed one: an acknowledged {@code INCR} must read 1 afterwards,
 * a failed one 0 or 1; anything else is a lost or a doubled increment (see {@link #checkIncrements}).
 */
final class Workload implements AutoCloseable {

	/** How many operations one thread may start at most: bounds every loop. */
	private static final int MAX_OPERATIONS_PER_THREAD = 100_000;

	private final Operations operations;

	private final int threads;

	private final Duration pace;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> workers = new ArrayList<>();

	private final Map<String, String> ledger = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private final ConcurrentLinkedQueue<Increment> increments = new ConcurrentLinkedQueue<>();

	/** Per thread, when its operation in flight started ({@code System.nanoTime()}), or 0. */
	private final AtomicLongArray inFlightSince;

	private Workload(Operations operations, int threads, Duration pace) {
		this.operations = operations;
		this.threads = threads;
		this.pace = pace;
		this.inFlightSince = new AtomicLongArray(threads);
	}

	static Workload start(Operations operations, int threads, Duration pace) {
		Workload workload = new Workload(operations, threads, pace);
		for (int i = 0; i < threads; i++) {
			int thread = i;
			Thread worker = new Thread(() -> workload.run(thread), "workload-" + i);
			worker.setDaemon(true);
			workload.workers.add(worker);
			worker.start();
		}
		return workload;
	}

	private void run(int thread) {
		long next = System.nanoTime();
		String run = Long.toString(System.nanoTime(), 36);
		for (int seq = 0; seq < MAX_OPERATIONS_PER_THREAD && this.running.get(); seq++) {
			String tag = "{" + run + "-" + thread + "-" + seq + "}";
			String key = "ledger:" + tag;
			String value = "v" + seq;
			Instant started = Instant.now();
			long t0 = System.nanoTime();
			this.inFlightSince.set(thread, t0);
			String error = null;
			Step failed = null;
			try {
				this.operations.write(key, value);
				this.ledger.put(key, value);
				String read = this.operations.read(key);
				if (!value.equals(read)) {
					error = "read " + read + " after writing " + value + " to " + key;
					failed = Step.READ;
				}
			}
			catch (RuntimeException ex) {
				error = describe(ex);
				failed = Step.WRITE_OR_READ;
			}
			if (failed == null) {
				String counter = "counter:" + tag;
				try {
					this.increments.add(new Increment(counter, this.operations.increment(counter)));
				}
				catch (RuntimeException ex) {
					this.increments.add(new Increment(counter, null));
					error = "INCR " + describe(ex);
					failed = Step.INCREMENT;
				}
			}
			this.inFlightSince.set(thread, 0);
			this.outcomes.add(new Outcome(started, Duration.ofNanos(System.nanoTime() - t0), error, failed));
			next += this.pace.toNanos();
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			else {
				next = System.nanoTime();
			}
		}
	}

	/**
	 * The first instant at or after {@code from} that starts a full second in which operations
	 * ran and every one of them succeeded.
	 */
	Optional<Instant> firstFullySuccessfulSecondAfter(Instant from) {
		List<Outcome> all = new ArrayList<>(this.outcomes);
		Instant last = all.stream().map(Outcome::started).max(Instant::compareTo).orElse(from);
		for (Instant start = from; !start.plusSeconds(1).isAfter(last); start = start.plusMillis(100)) {
			Instant windowStart = start;
			Instant windowEnd = start.plusSeconds(1);
			List<Outcome> window = all.stream()
				.filter((outcome) -> !outcome.started().isBefore(windowStart) && outcome.started().isBefore(windowEnd))
				.toList();
			if (window.size() >= this.threads && window.stream().allMatch(Outcome::succeeded)) {
				return Optional.of(windowStart);
			}
		}
		return Optional.empty();
	}

	/** How long the oldest operation still running has been waiting. */
	Duration longestInFlight() {
		long now = System.nanoTime();
		long longest = 0;
		for (int i = 0; i < this.inFlightSince.length(); i++) {
			long since = this.inFlightSince.get(i);
			if (since != 0) {
				longest = Math.max(longest, now - since);
			}
		}
		return Duration.ofNanos(longest);
	}

	long operations() {
		return this.outcomes.size();
	}

	long failures() {
		return this.outcomes.stream().filter((outcome) -> !outcome.succeeded()).count();
	}

	/**
	 * Failed operations by the step that failed.
	 * @param step the step
	 * @return how many operations failed there
	 */
	long failures(Step step) {
		return this.outcomes.stream().filter((outcome) -> outcome.failed() == step).count();
	}

	int threads() {
		return this.threads;
	}

	/**
	 * Reads every counter back (after {@link #close()}, once the cluster healed) and classifies each
	 * increment: an acknowledged {@code INCR} must have answered 1 and read 1 (0 is a lost
	 * increment, more a doubled one); a failed one may read 0 or 1 (more is doubled).
	 * @param read reads a counter's value, {@code null} when the key does not exist
	 * @return the verdict
	 */
	IncrementLedger checkIncrements(java.util.function.Function<String, String> read) {
		long acknowledged = 0;
		long failed = 0;
		List<String> lost = new ArrayList<>();
		List<String> doubled = new ArrayList<>();
		for (Increment increment : this.increments) {
			String value = read.apply(increment.key());
			long now = (value != null) ? Long.parseLong(value) : 0;
			if (increment.reply() != null) {
				acknowledged++;
				if (increment.reply() != 1 || now > 1) {
					doubled.add(increment.key() + " answered " + increment.reply() + ", reads " + now);
				}
				else if (now < 1) {
					lost.add(increment.key() + " answered 1, reads " + now);
				}
			}
			else {
				failed++;
				if (now > 1) {
					doubled.add(increment.key() + " failed, reads " + now);
				}
			}
		}
		return new IncrementLedger(acknowledged, failed, lost, doubled);
	}

	/** A failure and, when Spring Data wrapped it, its root cause: "Error in execution" alone says nothing. */
	static String describe(Throwable ex) {
		Throwable root = ex;
		for (int i = 0; i < 10 && root.getCause() != null && root.getCause() != root; i++) {
			root = root.getCause();
		}
		String text = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		String described = (root == ex) ? text
				: text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
		for (Throwable suppressed : root.getSuppressed()) {
			if (suppressed instanceof RedisRetriesExhaustedException retries) {
				// How many attempts and why the retry stopped: what tells one cause from another.
				return described + " [" + retries.getMessage() + "]";
			}
		}
		return described;
	}

	List<String> sampleErrors(int max) {
		return this.outcomes.stream().filter((outcome) -> !outcome.succeeded()).map(Outcome::error).distinct().limit(max).toList();
	}

	Duration longestOperation() {
		return this.outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
	}

	Map<String, String> ledger() {
		return Map.copyOf(this.ledger);
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		for (Thread worker : this.workers) {
			worker.join(TimeUnit.SECONDS.toMillis(90));
		}
	}

	interface Operations {

		void write(String key, String value);

		String read(String key);

		/**
		 * {@code INCR} of a key.
		 * @param key the counter
		 * @return the value after the increment
		 */
		long increment(String key);

	}

	/** Where an operation failed. */
	enum Step {

		/** The write or the read threw: both are idempotent, the retry must absorb the outage. */
		WRITE_OR_READ,

		/** The read answered something else than the value written. */
		READ,

		/** The increment threw: it may or may not have been applied. */
		INCREMENT

	}

	/**
	 * An increment started by the workload.
	 * @param key its own counter's key
	 * @param reply what {@code INCR} answered, {@code null} when it failed
	 */
	record Increment(String key, Long reply) {

	}

	/**
	 * The increments' verdict.
	 * @param acknowledged increments the application saw acknowledged
	 * @param failed increments that failed: applied or not, the application cannot tell
	 * @param lost acknowledged increments missing afterwards
	 * @param doubled increments applied more than once
	 */
	record IncrementLedger(long acknowledged, long failed, List<String> lost, List<String> doubled) {

	}

	record Outcome(Instant started, Duration took, String error, Step failed) {

		boolean succeeded() {
			return this.error == null;
		}

	}

}
