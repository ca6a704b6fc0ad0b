package io.github.redisresilience.benchmarks;

import java.time.Instant;

/**
 * The soak's resources at one moment; -1 where a value could not be read.
 *
 * @param at when it was taken
 * @param heapAfterGc heap in use right after a full collection, in bytes
 * @param threads live threads in the JVM
 * @param openFiles file descriptors the JVM holds open
 * @param directJdk bytes held by the JDK's direct buffers
 * @param directNetty direct bytes Netty's default allocator has in use (Lettuce's buffers)
 * @param clientConnections TCP connections the JVM has established to the Redis port (the
 * application's, and the kit's administration while a disruption runs)
 * @param serverClients connections the servers count for the application's client name
 * @param meters meters in the application's registry
 * @param tagValues distinct tag key-value pairs over those meters
 * @param suspectNodes nodes the starter suspects now
 * @param recentAddressChanges address changes the starter keeps for its endpoint
 * @param pods the cluster's running pods: connections and what they hold follow the cluster's size
 */
record SoakSample(Instant at, long heapAfterGc, long threads, long openFiles, long directJdk, long directNetty,
		long clientConnections, long serverClients, long meters, long tagValues, long suspectNodes,
		long recentAddressChanges, int pods) {

}
