package io.github.redisresilience.autoconfigure.retry;

/**
 * What a repeated execution of a command would do, which decides after which failures it may
 * be retried.
 */
enum CommandKind {

	/**
	 * Reads only: repeating it changes nothing.
	 */
	READ_ONLY,

	/**
	 * Writes, but applying it twice leaves the same data as applying it once (SET, DEL, HSET,
	 * EXPIRE...). Its reply may describe the repeat: a DEL retried after its first attempt was
	 * applied counts no deleted key.
	 */
	IDEMPOTENT_WRITE,

	/**
	 * Writes, and applying it twice differs from applying it once (INCR, LPUSH, SET NX...), or
	 * its effect is not known; also any command not in the tables.
	 */
	WRITE,

	/**
	 * Never retried: transactions, pipelines, subscriptions, blocking commands and cluster
	 * administration, whose state or timing a retry would corrupt or hide.
	 */
	NEVER_RETRIED;

	boolean isIdempotent() {
		return this == READ_ONLY || this == IDEMPOTENT_WRITE;
	}

}
