package io.github.redisresilience.sample.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Exercises the cluster continuously, the way a busy service would: each thread starts an
 * operation every pace (a late one is not caught up with a burst) that writes a unique key,
 * reads it back and increments a counter, and records the outcome.
 * <p>
 * Unique keys spread the writes over every slot, so every master is hit each second, and a
 * write that failed ambiguously can never be mistaken for an acknowledged one.
 */
class TrafficGenerator implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TrafficGenerator.class);

	/** The generated keys expire: the generator may run for hours on a laptop. */
	private static final Duration KEY_TTL = Duration.ofMinutes(5);

	/** Longer than the starter's command timeout, so a stopping thread finishes its operation. */
	private static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private final StringRedisTemplate redis;

	private final TrafficRecorder recorder;

	private final TrafficProperties properties;

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean running;

	TrafficGenerator(StringRedisTemplate redis, TrafficRecorder recorder, TrafficProperties properties) {
		this.redis = redis;
		this.recorder = recorder;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
		String run = Long.toString(System.currentTimeMillis(), 36);
		for (int i = 0; i < this.properties.getThreads(); i++) {
			int thread = i;
			Thread worker = new Thread(() -> run(run, thread), "sample-traffic-" + i);
			worker.setDaemon(true);
			this.workers.add(worker);
			worker.start();
		}
		logger.info("Traffic generator started: " + this.properties.getThreads() + " threads, one operation each every "
				+ this.properties.getPace().toMillis() + " ms");
	}

	@Override
	public void stop() {
		this.running = false;
		for (Thread worker : this.workers) {
			try {
				worker.join(STOP_WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.workers.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run(String run, int thread) {
		long paceNanos = this.properties.getPace().toNanos();
		long next = System.nanoTime();
		for (long seq = 0; this.running; seq++) {
			Instant started = Instant.now();
			long t0 = System.nanoTime();
			String error = operation("traffic:" + run + ":" + thread + ":" + seq, "v" + seq, "traffic:count:" + thread);
			this.recorder.record(started, Duration.ofNanos(System.nanoTime() - t0), error);
			next += paceNanos;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			else {
				next = System.nanoTime();
			}
		}
	}

	private @Nullable String operation(String key, String value, String counter) {
		try {
			this.redis.opsForValue().set(key, value, KEY_TTL.toSeconds(), TimeUnit.SECONDS);
			String read = this.redis.opsForValue().get(key);
			if (!value.equals(read)) {
				return "read " + read + " after writing " + value + " to " + key;
			}
			this.redis.opsForValue().increment(counter);
			return null;
		}
		catch (RuntimeException ex) {
			logger.debug("Traffic operation on " + key + " failed", ex);
			return describe(ex);
		}
	}

	private static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = failure.getClass().getSimpleName();
		return (root != failure) ? message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"
				: message + ": " + failure.getMessage();
	}

}
