/**
 * Lettuce's client as the starter sets it up through Spring Boot's customizer hooks: timeouts,
 * socket options and keepalive, the topology refresh options and the failed-node filter, the
 * reconnect delay, the address resolvers (DNS and remapping), the one Netty customizer the
 * client resources hold, and the closing of connections whose commands go unanswered.
 */
@NullMarked
package io.github.redisresilience.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
