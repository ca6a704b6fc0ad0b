package io.github.redisresilience.autoconfigure.retry;

import io.lettuce.core.RedisException;

/**
 * The failure of a command that was sent on a connection lost before its reply came back, and
 * that is not sent again because applying it twice would differ from applying it once. Redis
 * may or may not have applied it: the outcome is unknown, as after a timeout.
 *
 * @see ReplayPolicy#IDEMPOTENT_ONLY
 */
public class RedisCommandNotReplayedException extends RedisException {

	private final String command;

	/**
	 * Create a new instance.
	 * @param command the command name, such as {@code INCR}
	 */
	public RedisCommandNotReplayedException(String command) {
		super("Connection lost after " + command + " was sent and before its reply; not sent again because "
				+ command + " is not idempotent: Redis may or may not have applied it");
		this.command = command;
	}

	/**
	 * Return the name of the command whose outcome is unknown.
	 * @return the command name
	 */
	public String getCommand() {
		return this.command;
	}

}
