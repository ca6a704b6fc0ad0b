package io.github.redisresilience.test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition, polling it a bounded number of times within a deadline.
 */
final class Poll {

	static final Duration INTERVAL = Duration.ofMillis(50);

	private Poll() {
	}

	/**
	 * Polls until the condition holds.
	 * @param timeout the longest wait
	 * @param what what is waited for, for the exception message
	 * @param condition the condition
	 * @return the instant the condition was first seen true
	 * @throws IllegalStateException if it does not hold in time
	 */
	static Instant until(Duration timeout, String what, BooleanSupplier condition) {
		return until(timeout, () -> what, condition);
	}

	static Instant until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long maxPolls = timeout.toMillis() / INTERVAL.toMillis() + 1;
		for (long poll = 0; poll <= maxPolls; poll++) {
			if (condition.getAsBoolean()) {
				return Instant.now();
			}
			if (System.nanoTime() > deadline) {
				break;
			}
			sleep(INTERVAL);
		}
		throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what.get());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting", ex);
		}
	}

}
