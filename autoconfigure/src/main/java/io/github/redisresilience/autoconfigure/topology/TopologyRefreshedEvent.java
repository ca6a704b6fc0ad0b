package io.github.redisresilience.autoconfigure.topology;

/**
 * Published as an application event after each topology refresh the starter runs (while the
 * client is in trouble, or on demand), successful or not.
 *
 * @param refresh when it ran, how long it took, why, and how it ended
 */
public record TopologyRefreshedEvent(TopologyRefresh refresh) {
}
