package io.github.redisresilience.autoconfigure.retry;

/**
 * Which commands Lettuce may send again after the connection they were sent on was lost before
 * their reply came back.
 * <p>
 * Lettuce keeps such commands and writes them again once it has reconnected (or, in a cluster,
 * hands them to another node's connection). Redis may have applied them already: the reply was
 * lost, not necessarily the command.
 */
public enum ReplayPolicy {

	/**
	 * Replay read-only commands and writes that leave the same data when applied twice; fail the
	 * others (INCR, LPUSH, SET NX, EXEC...) with a {@link RedisCommandNotReplayedException}, an
	 * ambiguous failure: Redis may or may not have applied them, but never twice.
	 */
	IDEMPOTENT_ONLY,

	/**
	 * Replay every command, as Lettuce does by itself: at least once, so a non-idempotent write
	 * can be applied twice.
	 */
	ALL

}
