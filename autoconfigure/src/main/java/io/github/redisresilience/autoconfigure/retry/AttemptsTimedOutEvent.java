package io.github.redisresilience.autoconfigure.retry;

/**
 * Published as an application event when first attempts of commands sent on one connection
 * went unanswered past the per-attempt timeout, at most once per connection and sweep (every
 * 10 to 100 ms): the sign of a node that stopped answering while its connection stayed open. The
 * topology watcher reads it as trouble, so it does not have to listen to every command for
 * timeouts.
 *
 * @param remoteAddress the node's address, as the connection dialled it
 * @param attempts how many attempts this sweep timed out on the connection
 * @param newestSentNanos when the most recently sent of them was written, in
 * {@link System#nanoTime()}'s terms: comparable only with other such times of this JVM
 */
public record AttemptsTimedOutEvent(String remoteAddress, int attempts, long newestSentNanos) {
}
