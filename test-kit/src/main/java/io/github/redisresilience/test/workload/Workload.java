package io.github.redisresilience.test.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;

/**
 * A fixed-pace workload of Redis operations, run while a cluster is disrupted, that keeps a ledger
 * of what the client acknowledged. Each operation writes a unique key, reads it back and, when
 * both succeeded, increments a counter of its own ({@code INCR} of a fresh key).
 * <p>
 * Each thread starts an operation every pace; one that ran late is not caught up with a burst
 * (a closed loop, as an application thread behaves). Keys are unique, so a write that failed
 * ambiguously can never overwrite an acknowledged one and the ledger stays exact. With one
 * counter per operation a doubled increment cannot hide behind a failed one: an acknowledged
 * {@code INCR} must read 1 afterwards, a failed one 0 or 1 (see {@link #checkIncrements}).
 * <pre class="code">
 * try (Workload workload = Workload.builder(operations).threads(4).pace(Duration.ofMillis(20)).start()) {
 *     // disrupt the cluster, then wait for workload.firstFullySuccessfulSecondAfter(healed)
 * }
 * // read workload.acknowledgedWrites() and workload.checkIncrements(read) back
 * </pre>
 * <p>
 * Longer than the kit's other classes: a third of it is the Javadoc of its public API, and its
 * values ({@link Step}, {@link Outcome}, {@link Increment}, the builder) are nested so that users
 * find them under one name.
 */
public final class Workload implements AutoCloseable {

	/** How many operations one thread may start at most: bounds every loop. */
	private static final int MAX_OPERATIONS_PER_THREAD = 1_000_000;

	/** Recovery is judged over whole seconds of completions that start every 100 ms. */
	private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final int STEPS_PER_SECOND = 10;

	private static final long IDLE = Long.MIN_VALUE;

	/** An {@code INCR} without an answer, while it runs or after it failed. */
	private static final long UNANSWERED = Long.MIN_VALUE;

	/** How long {@link #close()} waits for the operations still running. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(90);

	private final Operations operations;

	private final int threads;

	private final Duration pace;

	private final String writePrefix;

	private final String counterPrefix;

	private final Function<RuntimeException, String> describer;

	private final AtomicBoolean running = new AtomicBoolean(true);

	/** One thread per workload thread, each running its loop to the end. */
	private final ExecutorService workers;

	private final Map<String, String> ledger = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	/** Every {@code INCR} started, by its counter's key: what it answered, or {@link #UNANSWERED}. */
	private final Map<String, Long> increments = new ConcurrentHashMap<>();

	/** Per thread, {@code System.nanoTime()} when its running operation started, or {@link #IDLE}. */
	private final AtomicLongArray inFlightSince;

	private Workload(Builder builder) {
		this.operations = builder.operations;
		this.threads = builder.threads;
		this.pace = builder.pace;
		this.writePrefix = builder.writePrefix;
		this.counterPrefix = builder.counterPrefix;
		this.describer = builder.describer;
		this.inFlightSince = new AtomicLongArray(this.threads);
		for (int i = 0; i < this.threads; i++) {
			this.inFlightSince.set(i, IDLE);
		}
		AtomicInteger number = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(this.threads, (task) -> {
			Thread worker = new Thread(task, builder.name + "-" + number.getAndIncrement());
			worker.setDaemon(true);
			return worker;
		});
	}

	/**
	 * Starts to describe a workload.
	 * @param operations how the workload reaches Redis
	 * @return a builder with 4 threads, a pace of 20 ms, threads named {@code workload-n}, keys
	 * {@code ledger:{...}} and counters {@code counter:{...}}
	 */
	public static Builder builder(Operations operations) {
		return new Builder(operations);
	}

	private Workload start() {
		for (int i = 0; i < this.threads; i++) {
			int thread = i;
			this.workers.execute(() -> run(thread));
		}
		return this;
	}

	private void run(int thread) {
		long next = System.nanoTime();
		String run = Long.toString(System.nanoTime(), 36);
		for (int seq = 0; seq < MAX_OPERATIONS_PER_THREAD && this.running.get(); seq++) {
			Instant started = Instant.now();
			long t0 = System.nanoTime();
			this.inFlightSince.set(thread, t0);
			Failure failure = perform("{" + run + "-" + thread + "-" + seq + "}", "v" + seq);
			Duration took = Duration.ofNanos(System.nanoTime() - t0);
			this.outcomes.add((failure != null) ? new Outcome(thread, started, took, failure.error(), failure.step())
					: new Outcome(thread, started, took, null, null));
			// Idle only once its outcome is listed: an operation is always in one of the two.
			this.inFlightSince.set(thread, IDLE);
			next = awaitNext(next);
		}
	}

	/** Waits for the next start, one pace after the last; a late thread starts at once, without a burst. */
	private long awaitNext(long last) {
		long next = last + this.pace.toNanos();
		long wait = next - System.nanoTime();
		if (wait <= 0) {
			return System.nanoTime();
		}
		LockSupport.parkNanos(wait);
		return next;
	}

	/** One operation: what went wrong, or {@code null}; records what was acknowledged. */
	private @Nullable Failure perform(String tag, String value) {
		String key = this.writePrefix + tag;
		try {
			this.operations.write(key, value);
			this.ledger.put(key, value);
			String read = this.operations.read(key);
			if (!value.equals(read)) {
				return new Failure("read " + read + " after writing " + value + " to " + key, Step.READ);
			}
		}
		catch (RuntimeException ex) {
			return new Failure(this.describer.apply(ex), Step.WRITE_OR_READ);
		}
		return increment(this.counterPrefix + tag);
	}

	private @Nullable Failure increment(String counter) {
		if (!this.running.get()) {
			// Stopped while this operation ran: the caller may be reading the counters already.
			return null;
		}
		// Unanswered first: a stuck INCR may yet be applied, and counts as unknown meanwhile.
		this.increments.put(counter, UNANSWERED);
		try {
			this.increments.put(counter, this.operations.increment(counter));
			return null;
		}
		catch (RuntimeException ex) {
			return new Failure("INCR " + this.describer.apply(ex), Step.INCREMENT);
		}
	}

	/**
	 * The first instant at or after {@code from}, in steps of 100 ms, that starts a full second in
	 * which every thread completed an operation and no operation failed: none completed in it with
	 * a failure, and none that failed was running in it.
	 * <p>
	 * Operations are judged by when they complete, as the application sees them: one that started
	 * in an outage and completed after it, retried, counts as a success then; one that failed after
	 * the heal, on a command timeout, taints every second it ran in. A thread stuck in an operation
	 * completes nothing meanwhile, which no second accepts. Only a second that every operation
	 * running in it has finished is judged, so the answer, once given, does not change.
	 * @param from the instant to look from, such as a heal
	 * @return the start of that second, if the workload has had one
	 */
	public Optional<Instant> firstFullySuccessfulSecondAfter(Instant from) {
		// The operations running now, before the outcomes are read: one that finishes in between is
		// listed by then (see run).
		Instant horizon = earliestRunningStart();
		List<Outcome> finished = new ArrayList<>(this.outcomes);
		long horizonStep = Math.floorDiv(nanosBetween(from, horizon), STEP_NANOS);
		long lastCompletedStep = finished.stream().mapToLong((outcome) -> step(from, outcome.completed())).max().orElse(-1);
		// A second is judged once it ended: before the last completion's step (which may still be
		// filling) and before the earliest operation still running started.
		int steps = (int) Math.min(Math.min(horizonStep, lastCompletedStep), Integer.MAX_VALUE - 1);
		if (steps < STEPS_PER_SECOND) {
			return Optional.empty();
		}
		boolean[] failing = new boolean[steps];
		List<Outcome> succeeded = new ArrayList<>();
		for (Outcome outcome : finished) {
			long completed = step(from, outcome.completed());
			if (completed < 0) {
				continue;
			}
			if (outcome.succeeded()) {
				succeeded.add(outcome);
			}
			else {
				for (long step = Math.max(0, step(from, outcome.started())); step <= completed && step < steps; step++) {
					failing[(int) step] = true;
				}
			}
		}
		succeeded.sort(Comparator.comparing(Outcome::completed));
		// Slide a one-second window over the steps: [first, first + 1 s) holds the successes from
		// index `oldest` (inclusive) to `newest` (exclusive), counted per thread.
		int[] perThread = new int[this.threads];
		int threadsCompleting = 0;
		int failingSteps = 0;
		int oldest = 0;
		int newest = 0;
		for (int step = 0; step < STEPS_PER_SECOND; step++) {
			failingSteps += failing[step] ? 1 : 0;
		}
		for (int first = 0; first + STEPS_PER_SECOND <= steps; first++) {
			if (first > 0) {
				failingSteps += (failing[first + STEPS_PER_SECOND - 1] ? 1 : 0) - (failing[first - 1] ? 1 : 0);
			}
			for (; newest < succeeded.size() && step(from, succeeded.get(newest).completed()) < first + STEPS_PER_SECOND; newest++) {
				threadsCompleting += (perThread[succeeded.get(newest).thread()]++ == 0) ? 1 : 0;
			}
			for (; oldest < newest && step(from, succeeded.get(oldest).completed()) < first; oldest++) {
				threadsCompleting -= (--perThread[succeeded.get(oldest).thread()] == 0) ? 1 : 0;
			}
			if (failingSteps == 0 && threadsCompleting == this.threads) {
				return Optional.of(from.plusNanos(first * STEP_NANOS));
			}
		}
		return Optional.empty();
	}

	/** When the earliest operation still running started, or now if none is running. */
	private Instant earliestRunningStart() {
		Instant now = Instant.now();
		long nanoNow = System.nanoTime();
		long earliest = nanoNow;
		for (int i = 0; i < this.threads; i++) {
			long since = this.inFlightSince.get(i);
			if (since != IDLE && since - earliest < 0) {
				earliest = since;
			}
		}
		return now.minusNanos(nanoNow - earliest);
	}

	/** The 100 ms step an instant falls in, counted from {@code from}; negative before it. */
	private static long step(Instant from, Instant instant) {
		return Math.floorDiv(nanosBetween(from, instant), STEP_NANOS);
	}

	private static long nanosBetween(Instant from, Instant to) {
		return Duration.between(from, to).toNanos();
	}

	/**
	 * Every operation finished so far, in no particular order across threads.
	 * @return the outcomes
	 */
	public List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	/**
	 * How many operations finished and failed.
	 * @return the failed operations
	 */
	public long failures() {
		return this.outcomes.stream().filter((outcome) -> !outcome.succeeded()).count();
	}

	/**
	 * How many operations failed at one step.
	 * @param step the step
	 * @return the operations that failed there
	 */
	public long failures(Step step) {
		return this.outcomes.stream().filter((outcome) -> outcome.failed() == step).count();
	}

	/**
	 * A few of the failures' messages, each once.
	 * @param max how many at most
	 * @return the messages, the first seen first
	 */
	public List<String> sampleErrors(int max) {
		return this.outcomes.stream()
			.map(Outcome::error)
			.filter((error) -> error != null)
			.map(String::valueOf)
			.distinct()
			.limit(max)
			.toList();
	}

	/**
	 * The longest operation that finished.
	 * @return how long it took, zero before any finished
	 */
	public Duration longestOperation() {
		return this.outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
	}

	/**
	 * How long each operation still running now has been running: stuck, as the application sees it.
	 * @return one duration per running operation
	 */
	public List<Duration> unfinished() {
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

	/**
	 * How many threads run operations, each one at a time.
	 * @return the threads
	 */
	public int threads() {
		return this.threads;
	}

	/**
	 * Every write the client acknowledged and the value written, by key: each must read that value
	 * once the cluster healed.
	 * @return a copy of the ledger
	 */
	public Map<String, String> acknowledgedWrites() {
		return Map.copyOf(this.ledger);
	}

	/**
	 * Every {@code INCR} started: answered, or of unknown outcome (failed, or still running: a stuck
	 * one may yet be applied).
	 * @return the increments, in no particular order
	 */
	public List<Increment> increments() {
		List<Increment> started = new ArrayList<>();
		this.increments.forEach((key, reply) -> started.add(new Increment(key, (reply != UNANSWERED) ? reply : null)));
		return started;
	}

	/**
	 * Reads every counter back (after {@link #close()}, once the cluster healed) and judges each
	 * increment (see {@link Increment#isLost} and {@link Increment#excess}).
	 * @param read reads a counter's value, {@code null} when the key does not exist
	 * @return the verdict
	 */
	public IncrementLedger checkIncrements(Function<String, @Nullable String> read) {
		long acknowledged = 0;
		long failed = 0;
		List<String> lost = new ArrayList<>();
		List<String> doubled = new ArrayList<>();
		for (Increment increment : increments()) {
			String value = read.apply(increment.key());
			long now = (value != null) ? Long.parseLong(value) : 0;
			Long reply = increment.reply();
			if (reply != null) {
				acknowledged++;
			}
			else {
				failed++;
			}
			String answered = (reply != null) ? " answered " + reply : " failed";
			if (increment.excess(now) > 0) {
				doubled.add(increment.key() + answered + ", reads " + now);
			}
			else if (increment.isLost(now)) {
				lost.add(increment.key() + answered + ", reads " + now);
			}
		}
		return new IncrementLedger(acknowledged, failed, lost, doubled);
	}

	/**
	 * Stops starting operations and waits, bounded, for the running ones, which may be stuck for
	 * long.
	 * @param wait how long to wait for all of them together
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void stop(Duration wait) throws InterruptedException {
		this.running.set(false);
		this.workers.shutdown();
		this.workers.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Stops starting operations and waits up to 90 s for the running ones to finish.
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Override
	public void close() throws InterruptedException {
		stop(CLOSE_WAIT);
	}

	private record Failure(String error, Step step) {

	}

	/**
	 * How the workload reaches Redis: the application's client, whatever its API.
	 */
	public interface Operations {

		/**
		 * {@code SET} of a key.
		 * @param key the key
		 * @param value the value
		 */
		void write(String key, String value);

		/**
		 * {@code GET} of a key.
		 * @param key the key
		 * @return the value, {@code null} when the key does not exist
		 */
		@Nullable String read(String key);

		/**
		 * {@code INCR} of a counter.
		 * @param key the counter's key
		 * @return the value after the increment
		 */
		long increment(String key);

		/**
		 * Operations made of three functions, such as a template's methods:
		 * {@code Operations.of(values::set, values::get, values::increment)}.
		 * @param write the {@code SET}
		 * @param read the {@code GET}
		 * @param increment the {@code INCR}
		 * @return the operations
		 */
		static Operations of(BiConsumer<String, String> write, Function<String, @Nullable String> read,
				ToLongFunction<String> increment) {
			return new Operations() {

				@Override
				public void write(String key, String value) {
					write.accept(key, value);
				}

				@Override
				public @Nullable String read(String key) {
					return read.apply(key);
				}

				@Override
				public long increment(String key) {
					return increment.applyAsLong(key);
				}

			};
		}

	}

	/** Where an operation failed. */
	public enum Step {

		/** The write or the read threw: both are idempotent, a retry can absorb an outage. */
		WRITE_OR_READ,

		/** The read answered something else than the value written. */
		READ,

		/** The increment threw: it may or may not have been applied. */
		INCREMENT

	}

	/**
	 * A finished operation.
	 * @param thread the workload thread that ran it, from 0
	 * @param started when it started
	 * @param took how long it took
	 * @param error why it failed, {@code null} when it succeeded
	 * @param failed the step that failed, {@code null} when it succeeded
	 */
	public record Outcome(int thread, Instant started, Duration took, @Nullable String error, @Nullable Step failed) {

		/**
		 * When the operation completed, as the application saw it.
		 * @return its start plus how long it took
		 */
		public Instant completed() {
			return this.started.plus(this.took);
		}

		/**
		 * Whether the operation succeeded.
		 * @return {@code true} when nothing failed
		 */
		public boolean succeeded() {
			return this.error == null;
		}

	}

	/**
	 * An {@code INCR} the workload started, of a counter of its own.
	 * @param key the counter's key
	 * @param reply what it answered, {@code null} when it failed or is still running: applied or
	 * not, the client cannot tell
	 */
	public record Increment(String key, @Nullable Long reply) {

		/**
		 * Whether the client acknowledged the increment.
		 * @return {@code true} when it answered
		 */
		public boolean acknowledged() {
			return this.reply != null;
		}

		/**
		 * Whether an acknowledged increment is missing from the counter's value read afterwards.
		 * @param value the counter's value, 0 when the key does not exist
		 * @return {@code true} when it was acknowledged and the counter reads less than 1
		 */
		public boolean isLost(long value) {
			return acknowledged() && value < 1;
		}

		/**
		 * How many times the increment was applied beyond once: the counter reads more than 1, or
		 * (at least once) the increment answered other than 1.
		 * @param value the counter's value, 0 when the key does not exist
		 * @return 0 when it was applied at most once
		 */
		public long excess(long value) {
			boolean answeredOtherThanOne = this.reply != null && this.reply != 1;
			return Math.max(answeredOtherThanOne ? 1 : 0, value - 1);
		}

	}

	/**
	 * The increments' verdict.
	 * @param acknowledged increments the client acknowledged
	 * @param failed increments that failed: applied or not, the client cannot tell
	 * @param lost acknowledged increments missing afterwards, each described
	 * @param doubled increments applied more than once, each described
	 */
	public record IncrementLedger(long acknowledged, long failed, List<String> lost, List<String> doubled) {

		public IncrementLedger {
			lost = List.copyOf(lost);
			doubled = List.copyOf(doubled);
		}

	}

	/**
	 * Describes a workload before it starts.
	 */
	public static final class Builder {

		private final Operations operations;

		private int threads = 4;

		private Duration pace = Duration.ofMillis(20);

		private String name = "workload";

		private String writePrefix = "ledger:";

		private String counterPrefix = "counter:";

		private Function<RuntimeException, String> describer = (ex) -> ex.getClass().getSimpleName() + ": "
				+ ex.getMessage();

		private Builder(Operations operations) {
			this.operations = operations;
		}

		/**
		 * Sets how many threads run operations, each one at a time.
		 * @param threads the threads, at least 1
		 * @return this builder
		 */
		public Builder threads(int threads) {
			if (threads < 1) {
				throw new IllegalArgumentException("A workload needs a thread at least, not " + threads);
			}
			this.threads = threads;
			return this;
		}

		/**
		 * Sets how often each thread starts an operation.
		 * @param pace the time between two starts, positive
		 * @return this builder
		 */
		public Builder pace(Duration pace) {
			if (pace.isNegative() || pace.isZero()) {
				throw new IllegalArgumentException("A workload's pace must be positive, not " + pace);
			}
			this.pace = pace;
			return this;
		}

		/**
		 * Names the threads {@code name-0}, {@code name-1}, ...
		 * @param name the threads' name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Sets what the keys start with; each ends with a hash tag unique to its operation, so that
		 * operations spread over every slot.
		 * @param writes what written keys start with
		 * @param counters what counters' keys start with
		 * @return this builder
		 */
		public Builder keyPrefixes(String writes, String counters) {
			this.writePrefix = writes;
			this.counterPrefix = counters;
			return this;
		}

		/**
		 * Sets how a failure is described in an outcome's error, for instance with the root cause
		 * of an exception the client wrapped.
		 * @param describer describes a failure; by default its class's simple name and message
		 * @return this builder
		 */
		public Builder describeFailures(Function<RuntimeException, String> describer) {
			this.describer = describer;
			return this;
		}

		/**
		 * Starts the workload's threads.
		 * @return the running workload
		 */
		public Workload start() {
			return new Workload(this).start();
		}

	}

}
