package io.github.redisresilience.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@link LocalRedisCluster#loseNode(List)} did: the node's pods cut off, failed over, then
 * rescheduled to new IPs.
 *
 * @param started when the pods were cut off
 * @param promoted when the rest of the cluster served every slot again (replicas promoted)
 * @param healed when the cluster was healthy again with the rescheduled pods
 * @param lost the pods the node hosted
 * @param addressChanges the pods' moves to new addresses
 */
public record NodeLoss(Instant started, Instant promoted, Instant healed, List<RedisPod> lost,
		List<AddressChange> addressChanges) {

	public NodeLoss {
		lost = List.copyOf(lost);
		addressChanges = List.copyOf(addressChanges);
	}

	/**
	 * From the cut to the promotion.
	 * @return the time the lost master's slots had no reachable master
	 */
	public Duration failoverTook() {
		return Duration.between(this.started, this.promoted);
	}

	/**
	 * The whole operation as a chaos report, from the cut to the final heal.
	 * @return the report
	 */
	public ChaosReport toChaosReport() {
		return new ChaosReport("lose-node", this.started, this.healed, this.addressChanges);
	}

	/**
	 * The failover part as a chaos report, from the cut to the promotion.
	 * @return the report
	 */
	public ChaosReport failover() {
		return new ChaosReport("lose-node failover", this.started, this.promoted, List.of());
	}

	@Override
	public String toString() {
		return "lose-node " + this.lost.stream().map(RedisPod::name).toList() + ": promoted after "
				+ failoverTook().toMillis() + " ms, healed after " + Duration.between(this.started, this.healed).toMillis()
				+ " ms";
	}

}
