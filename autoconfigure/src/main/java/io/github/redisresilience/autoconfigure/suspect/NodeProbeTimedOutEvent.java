package io.github.redisresilience.autoconfigure.suspect;

/**
 * Published as an application event by the health probe when a master of the client's topology
 * did not answer its PING within the probe timeout, though it had the time to: the suspect watch
 * makes it suspect (see {@link SuspectNode.Cause#PROBE_TIMEOUT}).
 *
 * @param nodeId the node ID
 * @param reason what was seen, for people
 * @param sentNanos when the PING was sent, as {@link System#nanoTime()}
 */
public record NodeProbeTimedOutEvent(String nodeId, String reason, long sentNanos) {
}
