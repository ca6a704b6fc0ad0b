/**
 * Closing connections to Redis nodes that stop answering while the connection stays open, as a
 * frozen process does.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.connection;

import org.jspecify.annotations.NullMarked;
