/**
 * The cluster view the client routes by: reading it (over held connections and from the seeds),
 * ordering views by how recent they are, applying the newest, refreshing faster while nodes are
 * unreachable, and publishing what changed in it (moves, promotions, slot coverage).
 */
@NullMarked
package io.github.redisresilience.autoconfigure.topology;

import org.jspecify.annotations.NullMarked;
