package io.github.redisresilience.autoconfigure.settings;

import java.time.Duration;

/**
 * Prints durations the way they are written in properties ({@code 5s}, {@code 500ms}),
 * rather than ISO-8601 ({@code PT5S}), so messages quote what the user wrote. Used by the
 * starter's own messages; not meant for applications.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Format a duration as a property value.
	 * @param duration the duration
	 * @return whole seconds as {@code 5s}, whole milliseconds as {@code 500ms}, else nanoseconds
	 */
	public static String format(Duration duration) {
		if (duration.getNano() == 0) {
			return duration.getSeconds() + "s";
		}
		if (duration.getNano() % 1_000_000 == 0) {
			return duration.toMillis() + "ms";
		}
		return duration.toNanos() + "ns";
	}

}
