package io.github.redisresilience.autoconfigure.suspect;

/**
 * Published as an application event by the health probe when a node answered its PING: the
 * suspect watch no longer suspects it.
 *
 * @param nodeId the node ID
 */
public record NodeProbeAnsweredEvent(String nodeId) {
}
