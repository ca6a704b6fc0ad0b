/**
 * The status page's data: the topology as the client sees it, recent address changes and the traffic record.
 */
@NullMarked
package io.github.redisresilience.sample.status;

import org.jspecify.annotations.NullMarked;
