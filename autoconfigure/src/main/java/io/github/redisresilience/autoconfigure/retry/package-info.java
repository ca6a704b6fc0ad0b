/**
 * Command retry: which failures and which commands may be retried, and the decoration of the
 * connections Spring Data Redis hands out so that every template, cache and session store rides
 * through moves and failovers.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.retry;

import org.jspecify.annotations.NullMarked;
