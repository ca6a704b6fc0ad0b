/**
 * A paced workload of Redis operations that keeps a ledger of what was acknowledged, to run while
 * a cluster is disrupted and check afterwards.
 */
@NullMarked
package io.github.redisresilience.test.workload;

import org.jspecify.annotations.NullMarked;
