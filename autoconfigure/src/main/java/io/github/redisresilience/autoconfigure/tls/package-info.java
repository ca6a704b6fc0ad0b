/**
 * TLS with remapping: node certificates are verified against the address the client dials, and a
 * certificate the client rejects stops the startup with the names involved.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.tls;

import org.jspecify.annotations.NullMarked;
