package io.github.redisresilience.autoconfigure.retry;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * INCRs run exactly once through every disruption that can leave an INCR's fate unknown: a master
 * frozen past its failover (it wakes demoted), one woken at its failover, a master killed, every
 * pod moved (old addresses black-holed) and a Kubernetes node lost. With
 * {@code redis.resilience.retry.exactly-once=INCR} none fails and none is applied twice, on an
 * exact ledger (one counter key per INCR). The negative control runs the same disruptions
 * without it: INCRs whose fate is unknown (timed out on a frozen master, lost with a killed one)
 * fail, as the default policy does not re-send them.
 */
@WithLocalRedisCluster(shared = false)
class ExactlyOnceIT {

	private static final int WRITERS = 4;

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private IncrLedger ledger;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.ledger != null) {
			this.ledger.stop();
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (pod.isPaused()) {
				cluster.resume(pod);
			}
		}
	}

	@Test
	void incrementsRunExactlyOnceWithNoFailureThroughFreezesAKillAMoveOfEveryPodAndANodeLoss() throws Exception {
		IncrLedger.Outcome outcome = incrementThroughFailovers("INCR");
		assertThat(outcome.failed()).as("failed INCRs").isZero();
		assertThat(outcome.doubled()).as("INCRs applied twice").isZero();
		assertThat(outcome.acknowledgedNotOne()).as("acknowledged INCRs not reading 1").isZero();
	}

	@Test
	void negativeControlWithoutExactlyOnceIncrementsWhoseFateIsUnknownFail() throws Exception {
		IncrLedger.Outcome outcome = incrementThroughFailovers("");
		assertThat(outcome.failed() + outcome.doubled()).as("failed or doubled INCRs without exactly-once")
			.isPositive();
		assertThat(outcome.doubled()).as("INCRs applied twice (the default policy never re-sends them)").isZero();
	}

	private IncrLedger.Outcome incrementThroughFailovers(String exactlyOnce) throws Exception {
		this.context = new SpringApplicationBuilder(ExactlyOnceApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk",
					"--spring.data.redis.cluster.max-redirects=5",
					"--redis.resilience.retry.exactly-once=" + exactlyOnce);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		// The tag shares slot 0's master: every disruption below, node loss included, hits it.
		String tag = hashTagServedBy(cluster.masterOf(0));
		int slot = SlotHash.getSlot(tag);
		this.ledger = new IncrLedger(redis, tag, WRITERS);
		List<ChaosReport> reports = new ArrayList<>();
		this.ledger.start();
		this.ledger.awaitAcknowledged(100);
		// Frozen past its failover: INCRs go on on the promoted replica before it wakes, demoted.
		RedisPod frozen = cluster.masterOf(slot);
		reports.add(cluster.pauseUntilFailover(frozen));
		this.ledger.awaitAcknowledged(100);
		reports.add(cluster.resume(frozen));
		nextDisruption();
		// Frozen, and woken at its failover.
		RedisPod woken = cluster.masterOf(slot);
		reports.add(cluster.pauseUntilFailover(woken));
		reports.add(cluster.resume(woken));
		nextDisruption();
		RedisPod promoted = cluster.masterOf(slot);
		reports.add(cluster.killMaster(promoted));
		reports.add(cluster.restart(promoted));
		nextDisruption();
		reports.add(cluster.moveAllPods(OldAddresses.BLACK_HOLE));
		nextDisruption();
		reports.add(cluster.loseNode(cluster.podsOfOneNode()).toChaosReport());
		this.ledger.awaitAcknowledged(100);
		this.ledger.stop();
		IncrLedger.Outcome outcome = this.ledger.check();
		System.out.printf("[exactly-once=%s] chaos %s; %s%n", exactlyOnce, reports.stream()
			.map((report) -> report.operation() + " " + report.started() + " +" + report.unhealthyFor().toMillis() + "ms")
			.toList(), outcome);
		return outcome;
	}

	/** Each INCR has one retry budget for one disruption: the next starts once none is left over. */
	private void nextDisruption() {
		this.ledger.awaitAcknowledged(100);
		this.ledger.awaitEveryWriterServed();
	}

	private static String hashTagServedBy(RedisPod master) {
		for (int i = 0;; i++) {
			String tag = "{once-" + i + "}";
			if (cluster.masterOf(SlotHash.getSlot(tag)).equals(master)) {
				return tag;
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ExactlyOnceApplication {

	}

}
