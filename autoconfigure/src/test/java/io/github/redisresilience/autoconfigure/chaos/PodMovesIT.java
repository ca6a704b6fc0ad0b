package io.github.redisresilience.autoconfigure.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application on the starter's defaults keeps working, without a restart, while the cluster
 * moves the way Kubernetes moves pods, and every write it saw acknowledged is readable after.
 */
@WithLocalRedisCluster(shared = false)
class PodMovesIT {

	private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void startApplication() {
		this.context = new SpringApplicationBuilder(ChaosApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
					// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
					"--redis.resilience.dns.resolver=jdk");
	}

	@AfterEach
	void stopApplication() {
		this.context.close();
	}

	@Test
	void survivesAllPodsMovingToNewAddresses() throws Exception {
		runScenario("all pods move", blocking(), (workload) -> cluster.moveAllPods(OldAddresses.REFUSE));
	}

	@Test
	void survivesAllPodsMovingWhileTheirOldAddressesHang() throws Exception {
		runScenario("all pods move, old IPs black-holed", blocking(), (workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
	}

	@Test
	void reactiveApplicationSurvivesAllPodsMovingWhileTheirOldAddressesHang() throws Exception {
		runScenario("reactive, all pods move, old IPs black-holed", reactive(),
				(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
	}

	@Test
	void survivesARollingMove() throws Exception {
		runScenario("rolling move", blocking(), (workload) -> cluster.rollingMove(OldAddresses.BLACK_HOLE));
	}

	@Test
	void survivesAMasterKilledAndItsReplicaPromoted() throws Exception {
		RedisPod master = cluster.masterOf(0);
		runScenario("master killed", blocking(), (workload) -> cluster.killMaster(master));
		cluster.restart(master);
	}

	/**
	 * The frozen master wakes up only once the application has moved on to the promoted replica.
	 * (Waking it at the very moment of the promotion, before the client could notice, is the
	 * harder race of the frozen-master work.)
	 */
	@Test
	void survivesAMasterFrozenPastItsFailover() throws Exception {
		RedisPod master = cluster.masterOf(6000);
		runScenario("master frozen past its failover", blocking(), (workload) -> {
			ChaosReport failover = cluster.pauseUntilFailover(master);
			await().atMost(RECOVERY_LIMIT)
				.until(() -> workload.firstFullySuccessfulSecondAfter(failover.healed()).isPresent());
			cluster.resume(master);
			return failover;
		});
	}

	private void runScenario(String name, Workload.Operations operations, Chaos chaos) throws Exception {
		ChaosReport report;
		Workload workload = Workload.start(operations, 4, Duration.ofMillis(20));
		try {
			await().atMost(RECOVERY_LIMIT)
				.until(() -> workload.firstFullySuccessfulSecondAfter(Instant.now().minusSeconds(2)).isPresent());
			report = chaos.run(workload);
			await().atMost(RECOVERY_LIMIT)
				.until(() -> workload.firstFullySuccessfulSecondAfter(report.healed()).isPresent());
		}
		finally {
			workload.close();
		}
		Optional<Instant> recovered = workload.firstFullySuccessfulSecondAfter(report.healed());
		System.out.printf("[chaos] %s: cluster unhealthy %d ms; first fully successful second %d ms after heal; "
				+ "%d of %d operations failed; longest operation %d ms; errors %s%n", name,
				report.unhealthyFor().toMillis(),
				Duration.between(report.healed(), recovered.orElseThrow()).toMillis(), workload.failures(),
				workload.operations(), workload.longestOperation().toMillis(), workload.sampleErrors(3));
		assertThat(recovered).as("a fully successful second after the cluster healed").isPresent();
		assertLedgerReadable(workload.ledger());
	}

	private void assertLedgerReadable(Map<String, String> ledger) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThat(ledger).isNotEmpty();
		ledger.forEach((key, value) -> assertThat(redis.opsForValue().get(key)).as("acknowledged write %s", key)
			.isEqualTo(value));
	}

	private Workload.Operations blocking() {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		return new Workload.Operations() {
			@Override
			public void write(String key, String value) {
				redis.opsForValue().set(key, value);
			}

			@Override
			public String read(String key) {
				return redis.opsForValue().get(key);
			}
		};
	}

	private Workload.Operations reactive() {
		ReactiveStringRedisTemplate redis = this.context.getBean(ReactiveStringRedisTemplate.class);
		return new Workload.Operations() {
			@Override
			public void write(String key, String value) {
				redis.opsForValue().set(key, value).block(Duration.ofSeconds(30));
			}

			@Override
			public String read(String key) {
				return redis.opsForValue().get(key).block(Duration.ofSeconds(30));
			}
		};
	}

	@FunctionalInterface
	interface Chaos {

		ChaosReport run(Workload workload);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ChaosApplication {

	}

}
