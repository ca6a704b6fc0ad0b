package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When Lettuce's full refresh runs as a fallback: only where there are no seeds to read (no held
 * connection answered, and the client was given no seed list the watcher can use). A full refresh
 * opens a connection to every node it can reach (every known node, every seed, then every node
 * they list) and learns nothing the held connections and the seeds, asked in turn at every look,
 * would not: it only tries every address at once, 48 TLS handshakes per client on a 48-node
 * cluster. So it waits until nothing has answered for a whole refresh period, and the next ones
 * of the same episode wait twice as long each time, up to {@link #LONGEST_GAP_IN_PERIODS}
 * periods. Calm again, the next episode starts afresh. Confined to the watcher's thread.
 */
final class FallbackRefreshes {

	/** The longest gap between two fallback refreshes of one episode, in refresh periods. */
	static final int LONGEST_GAP_IN_PERIODS = 4;

	private final Duration period;

	private final Clock clock;

	/** When a read last answered, or the watcher was last calm. */
	private Instant lastAnswer;

	/** Run since the watcher was last calm. */
	private int run;

	private Instant next = Instant.MIN;

	/**
	 * @param period the refresh period: how long nothing must answer before the first one
	 * @param clock the watcher's clock
	 */
	FallbackRefreshes(Duration period, Clock clock) {
		this.period = period;
		this.clock = clock;
		this.lastAnswer = clock.instant();
	}

	/** A read answered: the cluster can be read, a full refresh would only cost connections. */
	void answered() {
		this.lastAnswer = this.clock.instant();
	}

	/**
	 * No held connection answered and there are no seeds to ask.
	 * @return whether a full refresh runs now
	 */
	boolean due() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.lastAnswer.plus(this.period)) || now.isBefore(this.next)) {
			return false;
		}
		this.next = now.plus(gap(++this.run));
		return true;
	}

	/** The watcher is calm: the next episode's patience starts now. */
	void calm() {
		this.run = 0;
		this.next = Instant.MIN;
		this.lastAnswer = this.clock.instant();
	}

	/** The gap after an episode's {@code run}th fallback refresh: 1, 2, 4 periods, then 4. */
	private Duration gap(int run) {
		long periods = Math.min(1L << Math.min(run - 1, 30), LONGEST_GAP_IN_PERIODS);
		return this.period.multipliedBy(periods);
	}

}
