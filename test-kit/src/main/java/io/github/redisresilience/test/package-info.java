/**
 * A real Redis Cluster on loopback addresses that moves the way Kubernetes moves pods, for tests.
 */
@NullMarked
package io.github.redisresilience.test;

import org.jspecify.annotations.NullMarked;
