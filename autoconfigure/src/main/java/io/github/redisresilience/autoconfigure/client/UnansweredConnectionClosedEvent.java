package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Published as an application event when the starter closes a connection to a node that stopped
 * answering while its connection stayed open, the sign of a frozen node (a long pause, a throttled
 * container).
 *
 * @param remoteAddress the node's address, as the connection dialled it
 * @param silentFor how long commands on it had gone without any answer
 * @param closedAt when the connection was closed
 */
public record UnansweredConnectionClosedEvent(String remoteAddress, Duration silentFor, Instant closedAt) {
}
