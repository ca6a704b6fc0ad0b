package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;

/**
 * Published as an application event when the client sees a cluster node, known by its node ID,
 * at a new address: a rescheduled pod, a node restarted behind a new IP. Lettuce itself publishes
 * no event when only addresses change.
 *
 * @param nodeId the Redis Cluster node ID, which stays when a node moves
 * @param previousAddress the {@code host:port} the client knew the node at
 * @param currentAddress the {@code host:port} it knows the node at now
 * @param detectedAt when the client's topology first showed the new address
 */
public record NodeAddressChangedEvent(String nodeId, String previousAddress, String currentAddress,
		Instant detectedAt) {
}
