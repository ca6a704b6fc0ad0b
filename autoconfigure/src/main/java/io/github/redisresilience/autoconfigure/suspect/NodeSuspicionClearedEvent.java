package io.github.redisresilience.autoconfigure.suspect;

import java.time.Duration;
import java.time.Instant;

/**
 * Published as an application event when a node stops being suspect: it answered again, or the
 * client's topology no longer lists it as a master at the address it was suspected at (its
 * replica was promoted, the cluster flagged it failed, it moved).
 *
 * @param suspect the node as it was suspected
 * @param why what ended the suspicion, for people
 * @param clearedAt when the suspicion ended
 */
public record NodeSuspicionClearedEvent(SuspectNode suspect, String why, Instant clearedAt) {

	/**
	 * How long the node was suspect.
	 * @return the time from the suspicion to its end
	 */
	public Duration suspectFor() {
		return Duration.between(this.suspect.since(), this.clearedAt);
	}

}
