/**
 * Auto-configuration that makes Lettuce Redis Cluster clients survive nodes moving to new addresses.
 */
@NullMarked
package io.github.redisresilience.autoconfigure;

import org.jspecify.annotations.NullMarked;
