/**
 * Readable logs while nodes move: Lettuce's per-attempt warnings turned down and summarised.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.logging;

import org.jspecify.annotations.NullMarked;
