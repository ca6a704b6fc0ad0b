package io.github.redisresilience.benchmarks;

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
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A fixed-pace workload of unique writes, each read back, keeping a ledger of every write the
 * client acknowledged (adapted from the autoconfigure chaos tests' workload), and a counter per
 * thread incremented once per operation, counting the increments acknowledged and those whose
 * outcome is unknown (the {@code INCR} failed: it may or may not have run).
 * <p>
 * Each thread starts an operation every {@code pace}; one that ran late is not caught up with a
 * burst (closed loop). Keys are unique, so a write that failed ambiguously can never overwrite an
 * acknowledged one and the ledger stays exact. An operation still running when the workload
 * stops counts for the longest operation with the time it has taken so far.
 */
final class Workload {

	/** How many operations one thread may start at most: bounds every loop. */
	private static final int MAX_OPERATIONS_PER_THREAD = 1_000_000;

	private static final long IDLE = Long.MIN_VALUE;

	private final String client;

	private final Operations operations;

	private final int threads;

	private final Duration pace;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> workers = new ArrayList<>();

	/** An INCR without an answer. */
	static final long UNANSWERED = -1;

	private final Map<String, String> ledger = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	/**
	 * Every INCR started, by its own counter's key: what it answered, or {@link #UNANSWERED} while
	 * running or after it failed. One counter per operation: a doubled increment cannot hide
	 * behind a failed one.
	 */
	private final Map<String, Long> increments = new ConcurrentHashMap<>();

	/** Per thread, System.nanoTime() when its running operation started, or IDLE. */
	private final AtomicLongArray inFlightSince;

	private Workload(String client, Operations operations, int threads, Duration pace) {
		this.client = client;
		this.operations = operations;
		this.threads = threads;
		this.pace = pace;
		this.inFlightSince = new AtomicLongArray(threads);
		for (int i = 0; i < threads; i++) {
			this.inFlightSince.set(i, IDLE);
		}
	}

	static Workload start(String client, Operations operations, int threads, Duration pace) {
		Workload workload = new Workload(client, operations, threads, pace);
		workload.workers.addAll(startThreads(threads, "workload-" + client, workload::run));
		return workload;
	}

	/** Starts daemon threads named {@code prefix-0..n-1}, each running the body with its number. */
	static List<Thread> startThreads(int count, String prefix, IntConsumer body) {
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int number = i;
			Thread thread = new Thread(() -> body.accept(number), prefix + "-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		return threads;
	}

	private void run(int thread) {
		long next = System.nanoTime();
		String run = Long.toString(System.nanoTime(), 36);
		for (int seq = 0; seq < MAX_OPERATIONS_PER_THREAD && this.running.get(); seq++) {
			String key = "bench:" + this.client + ":{" + run + "-" + thread + "-" + seq + "}";
			String value = "v" + seq;
			Instant started = Instant.now();
			long t0 = System.nanoTime();
			this.inFlightSince.set(thread, t0);
			String error = null;
			try {
				this.operations.write(key, value);
				this.ledger.put(key, value);
				String read = this.operations.read(key);
				if (!value.equals(read)) {
					error = "read " + read + " after writing " + value;
				}
				error = increment("bench:" + this.client + ":counter:{" + run + "-" + thread + "-" + seq + "}", error);
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			this.inFlightSince.set(thread, IDLE);
			this.outcomes.add(new Outcome(started, Duration.ofNanos(System.nanoTime() - t0), error));
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

	/** The operation's INCR of its own counter, after its SET and GET; one that fails may or may not have been applied. */
	private @Nullable String increment(String counter, @Nullable String error) {
		if (!this.running.get()) {
			// Stopped while this operation ran: the counters may have been read already.
			return error;
		}
		this.increments.put(counter, UNANSWERED);
		try {
			this.increments.put(counter, this.operations.increment(counter));
			return error;
		}
		catch (RuntimeException ex) {
			return (error != null) ? error : "INCR " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
	}

	/**
	 * Every counter: acknowledged with its answer, or of unknown outcome so far (failed, or still
	 * running: a stuck INCR may yet be applied).
	 */
	List<Counter> counters() {
		List<Counter> counters = new ArrayList<>();
		this.increments.forEach((key, reply) -> counters.add((reply != UNANSWERED) ? new Counter(key, 1, 0, reply)
				: new Counter(key, 0, 1, UNANSWERED)));
		return counters;
	}

	String client() {
		return this.client;
	}

	/**
	 * The first instant at or after {@code from}, in steps of 100 ms, that starts a full second in
	 * which operations ran (at least one per thread) and every one of them succeeded.
	 */
	Optional<Instant> firstFullySuccessfulSecondAfter(Instant from) {
		List<Outcome> all = new ArrayList<>(this.outcomes);
		long fromMillis = from.toEpochMilli();
		long lastMillis = all.stream().mapToLong((outcome) -> outcome.started().toEpochMilli()).max().orElse(fromMillis);
		int steps = (int) Math.max(0, (lastMillis - fromMillis) / 100 + 1);
		int[] started = new int[steps];
		int[] failed = new int[steps];
		for (Outcome outcome : all) {
			long offset = outcome.started().toEpochMilli() - fromMillis;
			if (offset >= 0 && offset / 100 < steps) {
				started[(int) (offset / 100)]++;
				failed[(int) (offset / 100)] += outcome.succeeded() ? 0 : 1;
			}
		}
		// A window of ten 100 ms steps must lie wholly before the last operation seen.
		for (int first = 0; first + 10 <= steps - 1; first++) {
			int count = 0;
			int failures = 0;
			for (int step = first; step < first + 10; step++) {
				count += started[step];
				failures += failed[step];
			}
			if (count >= this.threads && failures == 0) {
				return Optional.of(Instant.ofEpochMilli(fromMillis + first * 100L));
			}
		}
		return Optional.empty();
	}

	List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	Map<String, String> ledger() {
		return Map.copyOf(this.ledger);
	}

	/** The longest operation, finished or still running now. */
	Longest longestOperation() {
		Duration finished = this.outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
		long now = System.nanoTime();
		Duration running = Duration.ZERO;
		for (int i = 0; i < this.threads; i++) {
			long since = this.inFlightSince.get(i);
			if (since != IDLE && now - since > running.toNanos()) {
				running = Duration.ofNanos(now - since);
			}
		}
		return (running.compareTo(finished) > 0) ? new Longest(running, true) : new Longest(finished, false);
	}

	/** How long each operation still running now has been running: stuck, as an application sees it. */
	List<Duration> unfinished() {
		long now = System.nanoTime();
		List<Duration> running = new ArrayList<>();
		for (int i = 0; i < this.threads; i++) {
			long since = this.inFlightSince.get(i);
			if (since != IDLE) {
				running.add(Duration.ofNanos(now - since));
			}
		}
		return running;
	}

	/** Stops starting operations; waits a little for running ones, which may be stuck for long. */
	void stop(Duration wait) throws InterruptedException {
		this.running.set(false);
		joinAll(this.workers, wait);
	}

	/** Waits for threads to end, for at most {@code wait} in all. */
	static void joinAll(List<Thread> threads, Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		for (Thread thread : threads) {
			long left = deadline - System.nanoTime();
			if (left > 0) {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
		}
	}

	interface Operations {

		void write(String key, String value);

		@Nullable String read(String key);

		/**
		 * {@code INCR} of a counter.
		 * @param key the counter's key
		 * @return the value after the increment
		 */
		default long increment(String key) {
			throw new UnsupportedOperationException("This client has no INCR in the benchmark");
		}

	}

	/**
	 * An operation's counter, incremented once: acknowledged, or failed (or still running).
	 * @param key the counter's key
	 * @param acknowledged 1 when the client acknowledged the increment
	 * @param unknown 1 when it failed or is still running: applied or not, the client cannot tell
	 * @param reply what the acknowledged INCR answered (1 unless it ran twice), else {@link #UNANSWERED}
	 */
	record Counter(String key, long acknowledged, long unknown, long reply) {

	}

	record Outcome(Instant started, Duration took, @Nullable String error) {

		boolean succeeded() {
			return this.error == null;
		}

	}

	/** The longest operation and whether it was still running when measured. */
	record Longest(Duration took, boolean unfinished) {

	}

}
