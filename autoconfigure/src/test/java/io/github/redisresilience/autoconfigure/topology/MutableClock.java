package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves.
 */
public final class MutableClock extends Clock {

	Instant now;

	public MutableClock(Instant now) {
		this.now = now;
	}

	public void advance(Duration by) {
		this.now = this.now.plus(by);
	}

	@Override
	public ZoneOffset getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

}
