package io.github.redisresilience.autoconfigure.retry;

/**
 * Whether a failed command may have run on the server.
 */
enum FailureKind {

	/**
	 * The command certainly did not run: it was never written (no connection, a refused
	 * connect, no node for its slot) or the server rejected it before executing it
	 * (CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN...). Retrying it is safe for every command.
	 */
	NOT_EXECUTED,

	/**
	 * The command was sent and no reply came: a timeout or a connection lost after the write.
	 * The server may or may not have applied it.
	 */
	AMBIGUOUS,

	/**
	 * The failure is not transient (a wrong type, a syntax error, a bug): a retry would fail
	 * the same way.
	 */
	PERMANENT

}
