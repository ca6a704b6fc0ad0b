/**
 * Suspect masters: nodes that stop answering while the client's topology still lists them as
 * masters (a frozen node before its failover), found from unanswered connections and the health
 * probe's PINGs, PINGed until they answer or are replaced, and published as events.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.suspect;

import org.jspecify.annotations.NullMarked;
