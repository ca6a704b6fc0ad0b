/**
 * Declarative rules that map the addresses cluster nodes announce to the addresses the client can reach.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.remap;

import org.jspecify.annotations.NullMarked;
