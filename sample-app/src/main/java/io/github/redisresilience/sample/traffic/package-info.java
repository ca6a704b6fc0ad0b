/**
 * A built-in traffic generator that exercises the cluster continuously and records what it saw, second by second.
 */
@NullMarked
package io.github.redisresilience.sample.traffic;

import org.jspecify.annotations.NullMarked;
