package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lettuce replays the commands that were sent and not yet answered when a connection closes.
 * Here a master is frozen while INCRs are on their way to it, the application's connection to
 * it is closed as unanswered, and the master resumes before any failover: it then applies the
 * INCRs it had received, and whatever Lettuce sends again is applied a second time.
 * <p>
 * The ledger has one counter key per INCR, so each key must read 1 if its INCR was
 * acknowledged (and the INCR must have answered 1), and 0 or 1 if it failed; 2 is an INCR
 * applied twice. With the replay guard (the default) no key reads 2 and the INCRs in flight fail
 * as ambiguous; with {@code redis.resilience.retry.replay=all} (the negative control, Lettuce's
 * own behaviour) the same scenario doubles them. Spring Data's {@code mutate()} of the client
 * options, which loses Lettuce's own replay filter, is in play: {@code max-redirects} is set.
 * <p>
 * The node timeout is 8 s so that the freeze, about a second, never starts a failover.
 */
class ReplayGuardIT {

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(8);

	private static final int WRITERS = 8;

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private IncrLedger ledger;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().nodeTimeout(NODE_TIMEOUT).start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

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
	void incrementsInFlightWhenTheirConnectionIsLostAreNeverAppliedTwice() throws Exception {
		IncrLedger.Outcome outcome = freezeMasterUnderIncrements("idempotent-only");
		assertThat(outcome.doubled()).as("INCRs applied twice").isZero();
		assertThat(outcome.acknowledgedNotOne()).as("acknowledged INCRs not reading 1").isZero();
		assertThat(outcome.notReplayed()).as("INCRs failed as not replayed (the scenario had INCRs in flight)")
			.isPositive();
	}

	@Test
	void negativeControlLettucesOwnReplayAppliesTheSameIncrementsTwice() throws Exception {
		IncrLedger.Outcome outcome = freezeMasterUnderIncrements("all");
		assertThat(outcome.doubled()).as("INCRs applied twice without the replay guard").isPositive();
	}

	private IncrLedger.Outcome freezeMasterUnderIncrements(String replay) throws Exception {
		AtomicInteger closed = new AtomicInteger();
		this.context = new SpringApplicationBuilder(ReplayApplication.class).web(WebApplicationType.NONE)
			.listeners(ApplicationListener.forPayload((UnansweredConnectionClosedEvent event) -> closed.incrementAndGet()))
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk",
					"--spring.data.redis.cluster.max-redirects=5", "--spring.data.redis.timeout=10s",
					"--redis.resilience.timeouts.unanswered=500ms", "--redis.resilience.retry.replay=" + replay);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		RedisPod master = cluster.masters().get(0);
		String tag = hashTagServedBy(master);
		this.ledger = new IncrLedger(redis, tag, WRITERS);
		this.ledger.start();
		this.ledger.awaitAcknowledged(200);
		cluster.pause(master);
		try {
			await("the frozen master's connection closed as unanswered").atMost(Duration.ofSeconds(20))
				.until(() -> closed.get() > 0);
		}
		finally {
			cluster.resume(master);
		}
		this.ledger.awaitAcknowledged(200);
		this.ledger.stop();
		IncrLedger.Outcome outcome = this.ledger.check();
		System.out.printf("[replay=%s] %s%n", replay, outcome);
		return outcome;
	}

	private static String hashTagServedBy(RedisPod master) {
		for (int i = 0;; i++) {
			String tag = "{replay-" + i + "}";
			if (cluster.masterOf(SlotHash.getSlot(tag)).equals(master)) {
				return tag;
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReplayApplication {

	}

}
