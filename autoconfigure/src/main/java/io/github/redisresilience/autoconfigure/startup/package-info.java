/**
 * Fail-fast checks at startup, each with the failure analysis that tells the user what to change:
 * the seed nodes, the credentials, the nodes' TLS certificates against the addresses the client
 * dials; and the one-line report of the settings the client runs with.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.startup;

import org.jspecify.annotations.NullMarked;
