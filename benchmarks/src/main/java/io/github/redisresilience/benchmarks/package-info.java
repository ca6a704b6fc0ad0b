/**
 * A resilience benchmark: the starter side by side with the Java clients a Spring user would pick
 * instead, on one local Redis Cluster that moves like Kubernetes.
 */
@NullMarked
package io.github.redisresilience.benchmarks;

import org.jspecify.annotations.NullMarked;
