package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When Lettuce's full refresh runs as a fallback, because neither a held connection nor a seed
 * answered. A full refresh opens a connection to every node it can reach (every known node, every
 * seed, then every node they list), so a fleet whose seeds fail through a long heal (dozens of pods
 * starting, TLS handshakes on loaded hosts) must not run one per look: one after every
 * {@link #SEED_FAILURES} seed reads that failed in a row, the first at once, the next ones at
 * gaps that double up to the refresh period. Calm again, the next episode starts afresh. Confined
 * to the watcher's thread.
 */
final class FallbackRefreshes {

	/** Seed reads that fail in a row before a full refresh runs. */
	static final int SEED_FAILURES = 2;

	/** The gap after an episode's first fallback refresh. */
	static final Duration FIRST_GAP = Duration.ofSeconds(1);

	private final Clock clock;

	private final Duration longestGap;

	private int seedFailuresInARow;

	/** Run since the watcher was last calm. */
	private int run;

	private Instant next = Instant.MIN;

	/**
	 * @param period the refresh period: the longest gap between two fallback refreshes
	 * @param clock the watcher's clock
	 */
	FallbackRefreshes(Duration period, Clock clock) {
		this.clock = clock;
		this.longestGap = (period.compareTo(FIRST_GAP) > 0) ? period : FIRST_GAP;
	}

	/**
	 * A seed read failed.
	 * @return whether a full refresh runs now
	 */
	boolean seedReadFailed() {
		if (++this.seedFailuresInARow < SEED_FAILURES) {
			return false;
		}
		this.seedFailuresInARow = 0;
		return due();
	}

	/** A seed read answered: the seeds work, a full refresh needs {@link #SEED_FAILURES} new failures. */
	void seedReadAnswered() {
		this.seedFailuresInARow = 0;
	}

	/**
	 * There are no seeds to ask.
	 * @return whether a full refresh runs now
	 */
	boolean noSeeds() {
		return due();
	}

	/** The watcher is calm: the next episode's first fallback refresh may run at once. */
	void calm() {
		this.seedFailuresInARow = 0;
		this.run = 0;
		this.next = Instant.MIN;
	}

	private boolean due() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.next)) {
			return false;
		}
		this.next = now.plus(gap(++this.run));
		return true;
	}

	/** The gap after an episode's {@code run}th fallback refresh: 1 s, 2 s, 4 s, ... up to the longest. */
	private Duration gap(int run) {
		Duration gap = FIRST_GAP.multipliedBy(1L << Math.min(run - 1, 20));
		return (gap.compareTo(this.longestGap) < 0) ? gap : this.longestGap;
	}

}
