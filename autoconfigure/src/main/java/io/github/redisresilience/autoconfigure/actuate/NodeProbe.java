package io.github.redisresilience.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What probing one node found.
 *
 * @param node the node as the client's topology lists it
 * @param dialled the {@code host:port} the client dials for it, after the remap rules
 * @param dialledIps the addresses the dialled host resolved to with the JDK resolver; empty when
 * it did not resolve within the probe timeout
 * @param reachable whether the node answered a PING within the probe timeout
 * @param latency how long the PING took, {@code null} when it did not answer
 * @param error why the node counts as unreachable, {@code null} when it is reachable
 * @param timedOut whether it did not answer within the probe timeout (rather than refusing or
 * failing), as a frozen node does
 */
record NodeProbe(NodeLayout node, String dialled, List<String> dialledIps, boolean reachable,
		@Nullable Duration latency, @Nullable String error, boolean timedOut) {

	boolean remapped() {
		return !this.dialled.equalsIgnoreCase(this.node.announced());
	}

}
