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
 * @param clientConnections connections the application's Lettuce client has open
 * @param serverClients connections the servers count for the application's client name
 * @param meters meters in the application's registry
 * @param tagValues distinct tag key-value pairs over those meters
 * @param suspectNodes nodes the starter suspects now
 * @param recentAddressChanges address changes the starter keeps for its endpoint
 */
record SoakSample(Instant at, long heapAfterGc, long threads, long openFiles, long directJdk, long directNetty,
		long clientConnections, long serverClients, long meters, long tagValues, long suspectNodes,
		long recentAddressChanges) {

}
