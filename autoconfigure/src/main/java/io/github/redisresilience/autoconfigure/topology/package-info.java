/**
 * Watching the cluster topology as the client sees it: refreshing it while nodes are unreachable and
 * reporting nodes that came back at new addresses; rejected credentials stop the startup.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.topology;

import org.jspecify.annotations.NullMarked;
