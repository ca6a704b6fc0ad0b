package io.github.redisresilience.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redisresilience.autoconfigure.topology.TopologyRefresh;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Describes the topology watcher's refreshes for the health details and the endpoint.
 */
final class RefreshDetails {

	private RefreshDetails() {
	}

	static Map<String, Object> of(TopologyRefresh refresh, Clock clock) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("startedAt", refresh.startedAt().toString());
		details.put("ageSeconds", Duration.between(refresh.startedAt().plus(refresh.took()), clock.instant()).toSeconds());
		details.put("tookMillis", refresh.took().toMillis());
		details.put("trigger", refresh.trigger());
		details.put("outcome", outcome(refresh));
		if (refresh.error() != null) {
			details.put("error", Redaction.redact(refresh.error()));
		}
		return details;
	}

	/**
	 * Whether the watcher refreshes at its degraded pace; also when that cannot be told because
	 * the client has never read a topology (Lettuce then tries to, and throws).
	 */
	static boolean degraded(TopologyWatcher watcher) {
		try {
			return watcher.isDegraded();
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	static String outcome(TopologyRefresh refresh) {
		return refresh.succeeded() ? "success" : "failure";
	}

}
