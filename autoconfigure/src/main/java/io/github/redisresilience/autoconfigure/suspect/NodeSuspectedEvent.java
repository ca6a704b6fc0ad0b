package io.github.redisresilience.autoconfigure.suspect;

/**
 * Published as an application event when a master becomes suspect: it stopped answering while
 * the client's topology still lists it as a master (see {@link SuspectWatch#all()}).
 * Its slots cannot be served until it answers again or its replica is promoted.
 *
 * @param suspect the node, since when and why
 */
public record NodeSuspectedEvent(SuspectNode suspect) {
}
