package io.github.redisresilience.autoconfigure.remap;

/**
 * What to do when remap rules would send several cluster nodes to one address.
 */
public enum FoldPolicy {

	/**
	 * Refuse to start.
	 */
	FAIL,

	/**
	 * Log a warning and start anyway.
	 */
	WARN

}
