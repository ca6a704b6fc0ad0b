package io.github.redisresilience.autoconfigure.suspect;

import java.time.Instant;
import java.util.Locale;

/**
 * A master that stopped answering while the client's topology still lists it as a master: the
 * sign of a frozen node (a long pause, a throttled container) before the cluster fails it over.
 *
 * @param nodeId the node ID
 * @param address the {@code host:port} the node announces, as the client's topology lists it
 * @param since when it was first suspected
 * @param cause what made it suspect
 * @param reason what was seen, for people
 */
public record SuspectNode(String nodeId, String address, Instant since, Cause cause, String reason) {

	/**
	 * What made a node suspect.
	 */
	public enum Cause {

		/** A connection to it got no answer to its commands for the unanswered-connection limit. */
		UNANSWERED_CONNECTION,

		/** A PING of the health check or the topology endpoint got no answer within the probe timeout. */
		PROBE_TIMEOUT;

		/**
		 * The cause as metric tags and endpoints show it.
		 * @return the name in lower case with dashes, such as {@code unanswered-connection}
		 */
		public String tag() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
