package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;

/**
 * Attached as a suppressed exception to the failure a retried Redis command finally throws,
 * which is the original exception of its last attempt (so that {@code catch} blocks and
 * exception translation keep working). It tells how many attempts were made, for how long,
 * and why retrying stopped; the failures of the earlier attempts are suppressed in it.
 */
public class RedisRetriesExhaustedException extends RuntimeException {

	private final String command;

	private final int attempts;

	private final Duration elapsed;

	/**
	 * Create a new instance.
	 * @param command the command name, such as {@code SET}
	 * @param attempts the number of attempts made, the first included
	 * @param elapsed the time from the first attempt to the last failure
	 * @param stopReason why no further attempt was made
	 */
	public RedisRetriesExhaustedException(String command, int attempts, Duration elapsed, String stopReason) {
		super(command + " failed " + attempts + " times in " + elapsed.toMillis() + "ms; " + stopReason
				+ "; the failures of the earlier attempts are suppressed here", null, true, false);
		this.command = command;
		this.attempts = attempts;
		this.elapsed = elapsed;
	}

	/**
	 * Return the name of the command that failed.
	 * @return the command name
	 */
	public String getCommand() {
		return this.command;
	}

	/**
	 * Return the number of attempts made, the first included.
	 * @return the attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Return the time from the first attempt to the last failure.
	 * @return the elapsed time
	 */
	public Duration getElapsed() {
		return this.elapsed;
	}

}
