package io.github.redisresilience.test;

import java.net.InetSocketAddress;

/**
 * A pod that came back at a new address, keeping its cluster node ID and data.
 *
 * @param nodeId the Redis Cluster node ID
 * @param from the address it had
 * @param to the address it has now
 */
public record AddressChange(String nodeId, InetSocketAddress from, InetSocketAddress to) {
}
