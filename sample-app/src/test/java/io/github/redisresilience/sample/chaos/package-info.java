/**
 * The local-cluster mode's chaos buttons: the test kit's operations behind a small HTTP API, never in the production application.
 */
@NullMarked
package io.github.redisresilience.sample.chaos;

import org.jspecify.annotations.NullMarked;
