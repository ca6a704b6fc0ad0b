package io.github.redisresilience.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a chaos operation did and when the cluster was healthy again.
 *
 * @param operation what was done, e.g. {@code move-all-pods}
 * @param started the instant the disruption began
 * @param healed the first instant every running node reported the cluster healthy again
 * @param addressChanges pods that came back at new addresses
 */
public record ChaosReport(String operation, Instant started, Instant healed, List<AddressChange> addressChanges) {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	public ChaosReport {
		addressChanges = List.copyOf(addressChanges);
	}

	/** Every chaos operation logs what it did, at INFO. */
	ChaosReport logged() {
		logger.info("{}", this);
		return this;
	}

	/**
	 * How long the cluster itself was not healthy.
	 * @return the time from the start of the disruption to the heal
	 */
	public Duration unhealthyFor() {
		return Duration.between(this.started, this.healed);
	}

	@Override
	public String toString() {
		return this.operation + ": healed after " + unhealthyFor().toMillis() + " ms, " + this.addressChanges.size()
				+ " address change(s)";
	}

}
