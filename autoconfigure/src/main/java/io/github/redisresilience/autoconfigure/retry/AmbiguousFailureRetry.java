package io.github.redisresilience.autoconfigure.retry;

/**
 * Which commands are retried after an ambiguous failure: a timeout or a connection lost after
 * the command was written, when Redis may or may not have applied it.
 */
public enum AmbiguousFailureRetry {

	/**
	 * Retry read-only commands and writes that leave the same data when applied twice, such as
	 * GET, SET, DEL, HSET or EXPIRE; never INCR, LPUSH, SET NX and other non-idempotent writes.
	 */
	IDEMPOTENT_ONLY,

	/**
	 * Retry every command, accepting that a non-idempotent write such as INCR may be applied
	 * twice.
	 */
	ALL,

	/**
	 * Retry no command after an ambiguous failure, only after failures where the command
	 * certainly did not run.
	 */
	NONE

}
