/**
 * Actuator health, the {@code redistopology} endpoint and Micrometer metrics that show the Redis
 * Cluster as the client sees it.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
