package io.github.redisresilience.autoconfigure.retry;

/**
 * The command families that can run exactly once: counters and appends, whose second
 * application would differ from the first. Each takes one key.
 */
public enum ExactlyOnceCommand {

	/** INCR key. */
	INCR(false),

	/** INCRBY key increment. */
	INCRBY(false),

	/** DECR key. */
	DECR(false),

	/** DECRBY key decrement. */
	DECRBY(false),

	/** INCRBYFLOAT key increment. */
	INCRBYFLOAT(true),

	/** HINCRBY key field increment. */
	HINCRBY(false),

	/** HINCRBYFLOAT key field increment. */
	HINCRBYFLOAT(true),

	/** ZINCRBY key increment member. */
	ZINCRBY(true),

	/** LPUSH key element [element ...]. */
	LPUSH(false),

	/** RPUSH key element [element ...]. */
	RPUSH(false);

	private final boolean floatingPoint;

	ExactlyOnceCommand(boolean floatingPoint) {
		this.floatingPoint = floatingPoint;
	}

	/**
	 * Whether the command replies with a floating-point number (as a string) rather than an
	 * integer.
	 * @return {@code true} for INCRBYFLOAT, HINCRBYFLOAT and ZINCRBY
	 */
	boolean isFloatingPoint() {
		return this.floatingPoint;
	}

}
