package io.github.redisresilience.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.workload.Workload;

/**
 * The soak's steady mixed workload: each thread starts one operation per pace, in turn a SET read
 * back with GET, an INCR of a counter of its own, a pipeline of two SETs, and a reactive SET read
 * back, through the application's own templates.
 * <p>
 * The ledger costs a few bits per operation, not an entry: every key is made from the run, the
 * thread and the operation's number, so that an hour of operations can be read back at the end
 * without the workload's own memory growing with the run (the soak judges the JVM's heap).
 * Completions are counted per thread in 100 ms steps, to tell when every thread worked again.
 */
final class SoakWorkload {

	/** The operation kinds, in the order each thread takes them. */
	enum Kind {

		WRITE, INCR, PIPELINE, REACTIVE;

		static Kind of(int seq) {
			return values()[seq % values().length];
		}

	}

	private static final Duration STEP = Duration.ofMillis(100);

	private static final Duration REACTIVE_WAIT = Duration.ofSeconds(120);

	private static final int KEPT_ERRORS = 20;

	private final StringRedisTemplate redis;

	private final ReactiveStringRedisTemplate reactive;

	private final String run = Long.toString(System.currentTimeMillis(), 36);

	private final int threads;

	private final Duration pace;

	private final Duration budget;

	private final int maxOperations;

	private final Instant origin = Instant.now();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> workers = new ArrayList<>();

	/** Per thread: the operations acknowledged (for an INCR: answered). */
	private final BitSet[] acknowledged;

	/** Per thread: the INCRs that failed, applied or not. */
	private final BitSet[] unknown;

	/** Per thread: how many operations it started. */
	private final int[] started;

	/** Per thread, per step: operations completed successfully. */
	private final AtomicIntegerArray[] succeeded;

	/** Per step: operations that failed, whatever the thread. */
	private final AtomicIntegerArray failed;

	private final Map<Kind, AtomicLong> failures = new EnumMap<>(Kind.class);

	private final AtomicLong failedWithinBudget = new AtomicLong();

	private final AtomicLong incrAnsweredTwice = new AtomicLong();

	private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

	private SoakWorkload(StringRedisTemplate redis, ReactiveStringRedisTemplate reactive, int threads, Duration pace,
			Duration budget, Duration longest) {
		this.redis = redis;
		this.reactive = reactive;
		this.threads = threads;
		this.pace = pace;
		this.budget = budget;
		this.maxOperations = (int) Math.min(Integer.MAX_VALUE - 1, longest.toNanos() / pace.toNanos() + 1);
		this.acknowledged = new BitSet[threads];
		this.unknown = new BitSet[threads];
		this.started = new int[threads];
		this.succeeded = new AtomicIntegerArray[threads];
		int steps = (int) (longest.toMillis() / STEP.toMillis()) + 1;
		for (int i = 0; i < threads; i++) {
			this.acknowledged[i] = new BitSet();
			this.unknown[i] = new BitSet();
			this.succeeded[i] = new AtomicIntegerArray(steps);
		}
		this.failed = new AtomicIntegerArray(steps);
		for (Kind kind : Kind.values()) {
			this.failures.put(kind, new AtomicLong());
		}
	}

	/**
	 * Starts the workload.
	 * @param budget the retry budget: an operation that fails sooner failed within it
	 * @param longest how long it may run at most, stop included; bounds every loop and array
	 */
	static SoakWorkload start(StringRedisTemplate redis, ReactiveStringRedisTemplate reactive, int threads,
			Duration pace, Duration budget, Duration longest) {
		SoakWorkload workload = new SoakWorkload(redis, reactive, threads, pace, budget, longest);
		for (int i = 0; i < threads; i++) {
			int thread = i;
			Thread worker = new Thread(() -> workload.run(thread), "soak-workload-" + i);
			worker.setDaemon(true);
			workload.workers.add(worker);
			worker.start();
		}
		return workload;
	}

	private void run(int thread) {
		long next = System.nanoTime();
		for (int seq = 0; seq < this.maxOperations && this.running.get(); seq++) {
			Kind kind = Kind.of(seq);
			long t0 = System.nanoTime();
			String error;
			try {
				error = perform(thread, seq, kind);
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
				if (kind == Kind.INCR) {
					this.unknown[thread].set(seq);
				}
			}
			this.started[thread] = seq + 1;
			Duration took = Duration.ofNanos(System.nanoTime() - t0);
			int step = stepOf(Instant.now());
			if (error == null) {
				this.succeeded[thread].incrementAndGet(step);
			}
			else {
				this.failed.incrementAndGet(step);
				this.failures.get(kind).incrementAndGet();
				if (took.compareTo(this.budget) < 0) {
					this.failedWithinBudget.incrementAndGet();
				}
				if (this.errors.size() < KEPT_ERRORS) {
					this.errors.add(kind + " after " + took.toMillis() + " ms: " + error);
				}
			}
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

	/** One operation; returns what went wrong, or {@code null}, and records what was acknowledged. */
	private @Nullable String perform(int thread, int seq, Kind kind) {
		String key = key(thread, seq);
		String value = value(seq);
		switch (kind) {
			case WRITE -> {
				this.redis.opsForValue().set(key, value);
				this.acknowledged[thread].set(seq);
				String read = this.redis.opsForValue().get(key);
				return value.equals(read) ? null : "GET read " + read + " after SET " + value;
			}
			case INCR -> {
				// Marked unknown first: a failure leaves it so, an answer clears it.
				this.unknown[thread].set(seq);
				Long reply = this.redis.opsForValue().increment(key);
				this.unknown[thread].clear(seq);
				this.acknowledged[thread].set(seq);
				if (reply == null || reply != 1) {
					this.incrAnsweredTwice.incrementAndGet();
					return "INCR of a new counter answered " + reply;
				}
				return null;
			}
			case PIPELINE -> {
				byte[] first = (key + ":a").getBytes(StandardCharsets.UTF_8);
				byte[] second = (key + ":b").getBytes(StandardCharsets.UTF_8);
				byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
				this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
					connection.stringCommands().set(first, bytes);
					connection.stringCommands().set(second, bytes);
					return null;
				});
				this.acknowledged[thread].set(seq);
				return null;
			}
			case REACTIVE -> {
				this.reactive.opsForValue().set(key, value).block(REACTIVE_WAIT);
				this.acknowledged[thread].set(seq);
				String read = this.reactive.opsForValue().get(key).block(REACTIVE_WAIT);
				return value.equals(read) ? null : "reactive GET read " + read + " after SET " + value;
			}
		}
		throw new IllegalStateException("Unknown kind " + kind);
	}

	private String key(int thread, int seq) {
		return "soak:{" + this.run + "-" + thread + "-" + seq + "}";
	}

	private static String value(int seq) {
		return "v" + seq;
	}

	private int stepOf(Instant at) {
		long step = Duration.between(this.origin, at).toMillis() / STEP.toMillis();
		return (int) Math.max(0, Math.min(this.failed.length() - 1, step));
	}

	/**
	 * When the application had recovered after an instant: the start of the first second, in
	 * 100 ms steps, in which every thread completed an operation successfully and none failed.
	 * Counted by completion, so an operation stuck across the heal keeps its thread from counting.
	 * @param from the instant to look from, such as a heal
	 * @return the instant, if the workload has had such a second since
	 */
	Optional<Instant> recoveredAfter(Instant from) {
		int first = stepOf(from);
		int last = stepOf(Instant.now());
		int window = (int) (Duration.ofSeconds(1).toMillis() / STEP.toMillis());
		for (int step = first; step + window <= last; step++) {
			if (fullySuccessful(step, step + window)) {
				// The step holding the instant may start before it.
				Instant start = this.origin.plus(STEP.multipliedBy(step));
				return Optional.of(start.isBefore(from) ? from : start);
			}
		}
		return Optional.empty();
	}

	private boolean fullySuccessful(int from, int to) {
		for (int step = from; step < to; step++) {
			if (this.failed.get(step) > 0) {
				return false;
			}
		}
		for (int thread = 0; thread < this.threads; thread++) {
			int completed = 0;
			for (int step = from; step < to; step++) {
				completed += this.succeeded[thread].get(step);
			}
			if (completed == 0) {
				return false;
			}
		}
		return true;
	}

	/** Stops starting operations and waits, bounded, for the running ones. */
	void stop(Duration wait) throws InterruptedException {
		this.running.set(false);
		long deadline = System.nanoTime() + wait.toNanos();
		for (Thread worker : this.workers) {
			long left = deadline - System.nanoTime();
			if (left > 0) {
				worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
		}
	}

	/** Whether every thread has finished; a ledger read while one still runs could miss its last write. */
	boolean stopped() {
		return this.workers.stream().noneMatch(Thread::isAlive);
	}

	/**
	 * Every acknowledged write and the value written, by key: the whole ledger, made only once
	 * the workload has stopped.
	 */
	Map<String, String> writes() {
		Map<String, String> writes = new LinkedHashMap<>();
		for (int thread = 0; thread < this.threads; thread++) {
			BitSet acked = this.acknowledged[thread];
			for (int seq = acked.nextSetBit(0); seq >= 0; seq = acked.nextSetBit(seq + 1)) {
				String key = key(thread, seq);
				switch (Kind.of(seq)) {
					case WRITE, REACTIVE -> writes.put(key, value(seq));
					case PIPELINE -> {
						writes.put(key + ":a", value(seq));
						writes.put(key + ":b", value(seq));
					}
					case INCR -> {
					}
				}
			}
		}
		return writes;
	}

	/** Every INCR started: acknowledged (it answered 1 unless counted in answered-twice), or unknown. */
	List<Workload.Increment> counters() {
		List<Workload.Increment> counters = new ArrayList<>();
		for (int thread = 0; thread < this.threads; thread++) {
			for (int seq = 0; seq < this.started[thread]; seq++) {
				if (Kind.of(seq) != Kind.INCR) {
					continue;
				}
				String key = key(thread, seq);
				if (this.unknown[thread].get(seq)) {
					counters.add(new Workload.Increment(key, null));
				}
				else if (this.acknowledged[thread].get(seq)) {
					counters.add(new Workload.Increment(key, 1L));
				}
			}
		}
		return counters;
	}

	/** Operations started, over every thread. */
	long operations() {
		long total = 0;
		for (int count : this.started) {
			total += count;
		}
		return total;
	}

	Map<Kind, Long> failures() {
		Map<Kind, Long> counts = new EnumMap<>(Kind.class);
		this.failures.forEach((kind, count) -> counts.put(kind, count.get()));
		return counts;
	}

	/** Failed operations that took less than the retry budget: an outage shorter than it should not fail them. */
	long failedWithinBudget() {
		return this.failedWithinBudget.get();
	}

	/** INCRs of a new counter that answered other than 1: applied twice, seen by the application. */
	long incrAnsweredTwice() {
		return this.incrAnsweredTwice.get();
	}

	List<String> errors() {
		return List.copyOf(this.errors);
	}

	Instant origin() {
		return this.origin;
	}

}
