/**
 * Choice of the DNS resolver Lettuce uses, which name servers it asks and how long it may cache answers.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.dns;

import org.jspecify.annotations.NullMarked;
