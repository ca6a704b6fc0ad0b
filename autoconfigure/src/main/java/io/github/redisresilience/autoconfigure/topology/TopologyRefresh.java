package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A topology refresh the starter ran and how it ended.
 *
 * @param startedAt when it began
 * @param took how long it took
 * @param trigger why it ran: {@code periodic} (the regular read found a change), {@code degraded}
 * (nodes unreachable, masters suspect or slots uncovered), {@code fallback} (no held connection
 * answered: Lettuce's full refresh through the seeds) or {@code on-demand} (asked for, e.g.
 * through the Actuator endpoint)
 * @param error why it failed, or {@code null} if it succeeded
 */
public record TopologyRefresh(Instant startedAt, Duration took, String trigger, @Nullable String error) {

	/**
	 * Whether the refresh read a topology.
	 * @return {@code true} if it succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

}
