package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * An exact INCR ledger: writer threads each issuing INCRs on a key of their own per operation,
 * all under one hash tag (one slot, one master). Afterwards each key must read 1 if its INCR
 * was acknowledged (which must have answered 1), and 0 or 1 if it failed; a key reading 2 is
 * an INCR applied twice.
 */
final class IncrLedger {

	private final StringRedisTemplate redis;

	private final String prefix;

	private final int writers;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicLong acknowledgedCount = new AtomicLong();

	/** Per writer: when the last INCR it saw acknowledged was sent (nano time). */
	private final AtomicLongArray lastAcknowledgedStart;

	/** Per key: the INCR's answer. */
	private final Map<String, Long> answers = new ConcurrentHashMap<>();

	/** Per key: when its INCR was acknowledged. */
	private final Map<String, Instant> acknowledgedAt = new ConcurrentHashMap<>();

	/** Per key: why its INCR failed. */
	private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

	IncrLedger(StringRedisTemplate redis, String hashTag, int writers) {
		this.redis = redis;
		// Each run its own keys: the cluster outlives a test.
		this.prefix = hashTag + ":" + Long.toString(System.nanoTime(), 36) + ":";
		this.writers = writers;
		this.lastAcknowledgedStart = new AtomicLongArray(writers);
	}

	void start() {
		for (int i = 0; i < this.writers; i++) {
			int writer = i;
			Thread thread = new Thread(() -> write(writer), "incr-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void write(int writer) {
		while (this.running.get()) {
			String key = this.prefix + this.sequence.incrementAndGet();
			long started = System.nanoTime();
			try {
				Long answer = this.redis.opsForValue().increment(key);
				this.answers.put(key, (answer != null) ? answer : -1);
				this.acknowledgedAt.put(key, Instant.now());
				this.acknowledgedCount.incrementAndGet();
				this.lastAcknowledgedStart.set(writer, started);
			}
			catch (RuntimeException ex) {
				this.failures.put(key, ex);
			}
		}
	}

	/**
	 * Waits until this many more INCRs were acknowledged: the application is served (again).
	 * @param count how many
	 */
	void awaitAcknowledged(long count) {
		long target = this.acknowledgedCount.get() + count;
		await().atMost(Duration.ofSeconds(60)).until(() -> this.acknowledgedCount.get() >= target);
	}

	/**
	 * Waits until every writer saw an INCR acknowledged that it sent after this call: no INCR
	 * still retrying through an earlier disruption carries its retry budget into the next one.
	 */
	void awaitEveryWriterServed() {
		long since = System.nanoTime();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			for (int i = 0; i < this.writers; i++) {
				if (this.lastAcknowledgedStart.get(i) - since < 0) {
					return false;
				}
			}
			return true;
		});
	}

	void stop() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
	}

	Outcome check() {
		int acknowledgedNotOne = 0;
		int doubled = 0;
		List<String> notOneSamples = new ArrayList<>();
		for (Map.Entry<String, Long> entry : this.answers.entrySet()) {
			long value = read(entry.getKey());
			if (entry.getValue() != 1 || value != 1) {
				acknowledgedNotOne++;
				if (notOneSamples.size() < 5) {
					notOneSamples.add(entry.getKey() + " answered " + entry.getValue() + " at "
							+ this.acknowledgedAt.get(entry.getKey()) + ", reads " + value);
				}
			}
			if (value > 1) {
				doubled++;
			}
		}
		int notReplayed = 0;
		List<String> failureSamples = new ArrayList<>();
		for (Map.Entry<String, Throwable> entry : this.failures.entrySet()) {
			if (read(entry.getKey()) > 1) {
				doubled++;
			}
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(entry.getValue());
			if (cause instanceof RedisCommandNotReplayedException) {
				notReplayed++;
			}
			if (failureSamples.size() < 3) {
				failureSamples.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
			}
		}
		return new Outcome(this.answers.size() + this.failures.size(), this.answers.size(), this.failures.size(),
				notReplayed, acknowledgedNotOne, doubled, notOneSamples, failureSamples);
	}

	private long read(String key) {
		String value = this.redis.opsForValue().get(key);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/**
	 * What the ledger found.
	 * @param operations INCRs issued
	 * @param acknowledged INCRs that answered
	 * @param failed INCRs that failed
	 * @param notReplayed failures that were in flight and not replayed
	 * @param acknowledgedNotOne acknowledged INCRs whose answer or key is not 1
	 * @param doubled keys reading more than 1
	 * @param notOneSamples a few acknowledged INCRs not reading 1: key, answer, when, value
	 * @param failureSamples a few failures, for the log
	 */
	record Outcome(int operations, int acknowledged, int failed, int notReplayed, int acknowledgedNotOne,
			int doubled, List<String> notOneSamples, List<String> failureSamples) {
	}

}
