/**
 * A small service on the starter: named counters and a cache-backed product lookup in a Redis Cluster.
 */
@NullMarked
package io.github.redisresilience.sample;

import org.jspecify.annotations.NullMarked;
