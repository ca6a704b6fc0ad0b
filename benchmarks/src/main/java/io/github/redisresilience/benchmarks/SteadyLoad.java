package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import io.github.redisresilience.test.workload.Workload;

/**
 * A steady-state workload on a healthy cluster for the overhead suite: threads that write a key
 * and read it back (or increment a counter of their own), over and over, for a fixed time, every
 * command's latency in a histogram.
 * <p>
 * Saturating (rate 0), each thread starts its next write the moment its read returned, so the
 * throughput is what the client delivers. At a fixed rate, each thread has a schedule and a late
 * write's latency counts from when it was due, not when it started (no coordinated omission: a
 * client that stalls is charged for every command it kept waiting).
 */
final class SteadyLoad {

	/** A key set per thread, small enough to stay in memory, large enough to spread over all masters. */
	private static final int KEYS_PER_THREAD = 1024;

	/** Bounds every loop, far above what a 5 s round reaches. */
	private static final long MAX_STEPS_PER_THREAD = 50_000_000L;

	private static final int MAX_ERROR_SAMPLES = 3;

	private static final long HIGHEST_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(120);

	private final Workload.Operations operations;

	private final int threads;

	private final int rate;

	private final String keyPrefix;

	private final Step step;

	/**
	 * A workload of SET and GET pairs.
	 * @param label tells the keys of different clients apart
	 * @param operations the client's commands
	 * @param threads how many threads
	 * @param rate commands per second over all threads, or 0 to saturate
	 */
	SteadyLoad(String label, Workload.Operations operations, int threads, int rate) {
		this(label, operations, threads, rate, Step.WRITE_READ);
	}

	/**
	 * @param label tells the keys of different clients apart
	 * @param operations the client's commands
	 * @param threads how many threads
	 * @param rate commands per second over all threads, or 0 to saturate
	 * @param step what each thread does over and over
	 */
	SteadyLoad(String label, Workload.Operations operations, int threads, int rate, Step step) {
		this.operations = operations;
		this.threads = threads;
		this.rate = rate;
		this.keyPrefix = "overhead:" + label + ":" + step.name().toLowerCase(Locale.ROOT) + ":";
		this.step = step;
	}

	/** Runs the workload for {@code duration} and returns what it measured. */
	Result run(Duration duration) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Histogram> histograms = new ArrayList<>();
		List<Thread> workers = new ArrayList<>();
		AtomicLong errors = new AtomicLong();
		AtomicLong allocated = new AtomicLong();
		Set<String> errorSamples = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < this.threads; i++) {
			Histogram histogram = new Histogram(HIGHEST_LATENCY_NANOS, 3);
			histograms.add(histogram);
			int thread = i;
			Thread worker = new Thread(() -> {
				long before = AllocationMeter.currentThread();
				work(thread, start, deadline, histogram, errors, errorSamples);
				allocated.addAndGet(AllocationMeter.currentThread() - before);
			}, "overhead-" + this.keyPrefix + i);
			worker.setDaemon(true);
			workers.add(worker);
		}
		workers.forEach(Thread::start);
		for (Thread worker : workers) {
			// A healthy cluster answers in milliseconds; a worker still running long after the deadline is stuck.
			worker.join(duration.toMillis() + 30_000);
		}
		long elapsed = System.nanoTime() - start;
		Histogram all = new Histogram(HIGHEST_LATENCY_NANOS, 3);
		histograms.forEach(all::add);
		return new Result(all.getTotalCount(), errors.get(), List.copyOf(errorSamples), Duration.ofNanos(elapsed), all,
				AllocationMeter.isSupported() ? allocated.get() : -1);
	}

	private void work(int thread, long start, long deadline, Histogram histogram, AtomicLong errors,
			Set<String> errorSamples) {
		// Steps per thread and second; 0 when saturating.
		double stepsPerSecond = (this.rate > 0) ? (double) this.rate / this.step.commands / this.threads : 0;
		long interval = (stepsPerSecond > 0) ? (long) (1_000_000_000L / stepsPerSecond) : 0;
		long due = start + thread * interval / this.threads;
		// Each thread's counters are its own: every INCR must answer one more than the last on that key.
		long[] lastCount = new long[KEYS_PER_THREAD];
		for (long pair = 0; pair < MAX_STEPS_PER_THREAD; pair++) {
			if (interval > 0) {
				awaitDue(due);
			}
			long began = System.nanoTime();
			if (began >= deadline) {
				return;
			}
			String key = this.keyPrefix + "{" + thread + "-" + (pair % KEYS_PER_THREAD) + "}";
			String value = Long.toString(pair, 36);
			long counted = (interval > 0) ? due : began;
			try {
				if (this.step == Step.INCREMENT) {
					int slot = (int) (pair % KEYS_PER_THREAD);
					long count = this.operations.increment(key);
					record(histogram, System.nanoTime() - counted);
					if (lastCount[slot] != 0 && count != lastCount[slot] + 1) {
						failed(errors, errorSamples, "INCR answered " + count + " after " + lastCount[slot]);
					}
					lastCount[slot] = count;
				}
				else {
					this.operations.write(key, value);
					long written = System.nanoTime();
					record(histogram, written - counted);
					String read = this.operations.read(key);
					record(histogram, System.nanoTime() - written);
					if (!value.equals(read)) {
						failed(errors, errorSamples, "read " + read + " after writing " + value);
					}
				}
			}
			catch (RuntimeException ex) {
				failed(errors, errorSamples, ex.getClass().getSimpleName() + ": " + ex.getMessage());
			}
			due += interval;
		}
	}

	/** Parks until {@code due}: a park may return early, spuriously. */
	private static void awaitDue(long due) {
		for (int i = 0; i < 1000; i++) {
			long wait = due - System.nanoTime();
			if (wait <= 0) {
				return;
			}
			LockSupport.parkNanos(wait);
		}
	}

	private static void record(Histogram histogram, long nanos) {
		histogram.recordValue(Math.max(0, Math.min(HIGHEST_LATENCY_NANOS, nanos)));
	}

	private static void failed(AtomicLong errors, Set<String> samples, String error) {
		errors.incrementAndGet();
		if (samples.size() < MAX_ERROR_SAMPLES) {
			samples.add(error.replaceAll("\\s+", " "));
		}
	}

	/** What a thread does over and over. */
	enum Step {

		/** SET a key of its own, then GET it back: two commands. */
		WRITE_READ(2),

		/** INCR a counter of its own: one command. */
		INCREMENT(1);

		private final int commands;

		Step(int commands) {
			this.commands = commands;
		}

	}

	/**
	 * What one run measured.
	 * @param commands commands completed (a write and a read per pair, or one INCR per step)
	 * @param errors steps that failed, read back something else or counted wrong
	 * @param errorSamples a few of the errors, distinct
	 * @param elapsed how long the run took
	 * @param latencies every command's latency, in nanoseconds
	 * @param workerAllocatedBytes bytes the workload's own threads allocated, -1 if not known
	 */
	record Result(long commands, long errors, List<String> errorSamples, Duration elapsed, Histogram latencies,
			long workerAllocatedBytes) {

		double throughput() {
			return this.commands / (this.elapsed.toNanos() / 1e9);
		}

		double percentileMillis(double percentile) {
			return this.latencies.getValueAtPercentile(percentile) / 1e6;
		}

	}

}
