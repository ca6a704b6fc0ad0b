package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the client is in trouble: some sign of it (a reconnect, a command timeout, a suspect
 * master) was seen less than the window ago. Every sign is counted by kind, so that what keeps
 * the client degraded can be read off the counters.
 */
final class TroubleWindow {

	private final Duration length;

	private final Clock clock;

	private final TopologyCounters counters;

	private volatile Instant until = Instant.MIN;

	TroubleWindow(Duration length, Clock clock, TopologyCounters counters) {
		this.length = length;
		this.clock = clock;
		this.counters = counters;
	}

	void seen(TopologyCounters.Sign sign) {
		this.counters.signSeen(sign);
		this.until = this.clock.instant().plus(this.length);
	}

	boolean isOpen() {
		return this.clock.instant().isBefore(this.until);
	}

}
