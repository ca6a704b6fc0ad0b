package io.github.redisresilience.autoconfigure.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.SlotHash;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.topology.NodeAddressChangedEvent;
import io.github.redisresilience.test.AddressChange;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.NodeLoss;
import io.github.redisresilience.test.Partition;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresIptables;
import io.github.redisresilience.test.Role;
import io.github.redisresilience.test.WithLocalRedisCluster;
import io.github.redisresilience.test.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application on the starter's defaults keeps working, without a restart, while the cluster
 * moves the way Kubernetes moves pods (pods announce their IPs, seeds are the headless Service
 * name), and every write it saw acknowledged is readable after.
 */
@WithLocalRedisCluster(shared = false)
class PodMovesIT extends ChaosTestSupport {

	static LocalRedisCluster cluster;

	@AfterEach
	void restoreCluster() {
		restoreCluster(cluster);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesAllPodsMovingToNewAddresses(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		ChaosReport report = runScenario("all pods move", blocking(), (workload) -> cluster.moveAllPods(OldAddresses.REFUSE));
		if (mode == ClientMode.STARTER) {
			assertAddressChangesPublished(report);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesAllPodsMovingWhileTheirOldAddressesHang(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		runScenario("all pods move, old IPs black-holed", blocking(), (workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void reactiveApplicationSurvivesAllPodsMovingWhileTheirOldAddressesHang(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		runScenario("reactive, all pods move, old IPs black-holed", reactive(),
				(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesARollingMove(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		runScenario("rolling move", blocking(), (workload) -> cluster.rollingMove(OldAddresses.BLACK_HOLE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesAMasterKilledAndItsReplicaPromoted(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(0);
		try {
			runScenario("master killed", blocking(), (workload) -> cluster.killMaster(master));
			assertTroublePublished();
		}
		finally {
			cluster.restart(master);
		}
	}

	/**
	 * A Kubernetes node is lost with two pods on it, the master of slot 0 and a replica of another
	 * master: their IPs hang first (iptables), the cluster fails the master over after the node
	 * timeout, then both pods come back on new IPs while the old ones keep hanging. The master's
	 * slots are unreachable for about 4 s (2 s node timeout, then the election), well inside the
	 * 10 s retry budget: no operation may fail.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	@RequiresIptables
	void survivesLosingANodeWhoseAddressesHangBeforeItsPodsMove(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		List<RedisPod> pods = cluster.podsOfOneNode();
		runScenario("node lost, old IPs cut off first", blocking(), (workload) -> {
			NodeLoss loss = cluster.loseNode(pods);
			assertThat(cluster.masterOf(0)).as("promoted replica").isNotSameAs(pods.get(0));
			return loss.toChaosReport();
		});
		assertTroublePublished();
	}

	/**
	 * The frozen master wakes up only once the application has moved on to the promoted replica.
	 * (Waking it at the very moment of the promotion, before the client could notice, is the
	 * harder race of the frozen-master work.)
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void survivesAMasterFrozenPastItsFailover(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(6000);
		runScenario("master frozen past its failover", blocking(), (workload) -> {
			ChaosReport failover = cluster.pauseUntilFailover(master);
			awaitFullySuccessfulSecondAfter(workload, failover.healed());
			cluster.resume(master);
			return failover;
		});
	}

	/**
	 * The frozen master wakes up the moment its replica is promoted, with writes of the application
	 * still waiting in its socket buffers: nothing it acknowledges then may be lost.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void losesNoAcknowledgedWriteWhenAFrozenMasterWakesAtItsFailover(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(9000);
		runScenario("master frozen, resumed at its failover", blocking(), (workload) -> {
			ChaosReport failover = cluster.pauseUntilFailover(master);
			cluster.resume(master);
			return failover;
		});
	}

	/**
	 * A master frozen for less than the node timeout is not failed over: the application waits for
	 * it and loses nothing. It wakes up once an operation has waited 0.6 s on it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void waitsForAMasterFrozenShorterThanTheNodeTimeout(ClientMode mode) throws Exception {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(3000);
		runScenario("master frozen shorter than the node timeout", blocking(), (workload) -> {
			Instant frozen = Instant.now();
			cluster.pause(master);
			// Well inside the 2 s node timeout: no failover may start before the node wakes up.
			await().atMost(RECOVERY_LIMIT)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> workload.unfinished().stream().anyMatch((running) -> running.toMillis() >= 600));
			ChaosReport resumed = cluster.resume(master);
			assertThat(cluster.masterOf(3000)).as("no failover").isSameAs(master);
			return new ChaosReport("short-pause", frozen, resumed.healed(), List.of());
		}, false);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runs")
	void reactiveApplicationLosesNoAcknowledgedWriteWhenAFrozenMasterWakesAtItsFailover(ClientMode mode)
			throws Exception {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(12000);
		runScenario("reactive, master frozen, resumed at its failover", reactive(), (workload) -> {
			ChaosReport failover = cluster.pauseUntilFailover(master);
			cluster.resume(master);
			return failover;
		});
	}


	// Negative controls: each turns one mechanism off through its real property, on the same cluster,
	// and asserts the failure that mechanism prevents.

	/**
	 * The whole starter off ({@code redis.resilience.enabled=false}, stock Spring Boot with the
	 * same 2 s command and 1 s connect timeouts the starter sets): when every pod moves and its
	 * old address is black-holed, writes and reads fail, where the starter fails none. (On the
	 * Boot 4.0 line, Lettuce 6.8, it also never finds the cluster again; Lettuce 7 on the 4.1 line
	 * does, after the failures: measured in the results line, not asserted.)
	 */
	@Test
	void controlStockBootFailsWritesWhenAllPodsMoveWhileTheirOldAddressesHang() throws Exception {
		startApplication(ClientMode.STOCK_BOOT, cluster.seedNodes(), "--spring.data.redis.timeout=2s",
				"--spring.data.redis.connect-timeout=1s");
		Run run = run("control: stock Boot, all pods move, old IPs black-holed", blocking(),
				(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
		assertThat(run.workload().failures(Workload.Step.WRITE_OR_READ)).as("failed SET/GET (%s)",
				run.workload().sampleErrors(3)).isPositive();
		assertThat(run.problems()).as("stock Boot's run").anyMatch((problem) -> problem.endsWith("SET/GET failed"));
	}

	/**
	 * Seeds re-resolved from a stable name off: seeds given as the pods' IPs, which all vanish
	 * (black-holed) when every pod moves; nothing is left to rediscover the cluster from.
	 */
	@Test
	void controlWithFixedIpSeedsNothingRecoversAfterEveryPodMoves() throws Exception {
		String ipSeeds = String.join(",", cluster.pods()
			.stream()
			.map((pod) -> pod.address().getAddress().getHostAddress() + ":" + pod.address().getPort())
			.toList());
		startApplication(ClientMode.STARTER, ipSeeds);
		this.independentLedgerReader = true;
		this.ledgerSeeds = cluster.seedNodes();
		Run run = run("control: fixed IP seeds, all pods move, old IPs black-holed", blocking(),
				(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
		assertThat(run.problems()).as("the starter's run with IP seeds")
			.contains("no fully successful second within " + RECOVERY_LIMIT.toSeconds() + " s after the heal");
	}

	/**
	 * Command retry off ({@code redis.resilience.retry.enabled=false}): the writes and reads that
	 * meet the killed master's 3-4 s outage fail, where the starter's defaults fail none.
	 */
	@Test
	void controlWithoutCommandRetryWritesFailWhenAMasterIsKilled() throws Exception {
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--redis.resilience.retry.enabled=false");
		RedisPod master = cluster.masterOf(0);
		Run run = run("control: retry off, master killed", blocking(), (workload) -> cluster.killMaster(master));
		assertThat(run.workload().failures(Workload.Step.WRITE_OR_READ)).as("failed SET/GET (%s)",
				run.workload().sampleErrors(3)).isPositive();
		assertThat(run.problems()).anyMatch((problem) -> problem.endsWith("SET/GET failed"));
	}

	/**
	 * Closing unanswered connections off ({@code redis.resilience.timeouts.unanswered=0}): an INCR
	 * sent to a frozen master waits in its socket; the master wakes after its failover, acknowledges
	 * the INCR, learns it was demoted and drops the write when it resyncs from the promoted replica.
	 * Deterministic: the master is cut off the cluster bus just before it freezes, so it wakes still
	 * believing it is the master and serves the write, and hears of its failover only when the cut
	 * is closed after the acknowledgement. A command timeout longer than the freeze keeps the write
	 * waiting on that connection, and the client keeps the failed master in its view (left out, the
	 * client would close the connection as soon as it reads the failover, as the closer does; the
	 * closer's own job is the connection the client still holds). An INCR is neither replayed nor
	 * retried once its connection is closed, so the closer is the only difference between the two
	 * tests.
	 */
	@Test
	@RequiresIptables
	void controlWithoutClosingUnansweredConnectionsAWokenFrozenMasterAcknowledgesAWriteThatIsThenLost()
			throws Exception {
		FrozenWrite write = writeToAMasterFrozenUntilItsFailover("--redis.resilience.timeouts.unanswered=0");
		assertThat(write.acknowledged()).as("the frozen master acknowledged the write when it woke (%s)", write.error())
			.isTrue();
		assertThat(write.readAfter()).as("the acknowledged write after the old master rejoined as a replica").isNull();
	}

	/** The same with the mechanism on: the INCR is failed or stored, never acknowledged and lost. */
	@Test
	@RequiresIptables
	void closingUnansweredConnectionsKeepsAWokenFrozenMasterFromAcknowledgingAWriteThatIsThenLost() throws Exception {
		FrozenWrite write = writeToAMasterFrozenUntilItsFailover("--redis.resilience.timeouts.unanswered=1s");
		if (write.acknowledged()) {
			assertThat(write.readAfter()).as("the acknowledged write").isEqualTo(write.value());
		}
		else {
			assertThat(write.error()).as("why the write failed").isNotNull();
		}
	}

	private FrozenWrite writeToAMasterFrozenUntilItsFailover(String unanswered) throws Exception {
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--spring.data.redis.timeout=30s",
				"--redis.resilience.topology.exclude-failed-nodes=false", unanswered);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String tag = "{frozen-" + Long.toString(System.nanoTime(), 36) + "}";
		String key = "frozen-write:" + tag;
		String value = "1";
		RedisPod master = cluster.masterOf(SlotHash.getSlot(key));
		// The application's connection to that master is open and idle.
		redis.opsForValue().set("warm-up:" + tag, "x");
		String error = null;
		try (Partition busCut = cluster.cutClusterBus(master)) {
			cluster.pause(master);
			CompletableFuture<Void> write = CompletableFuture.runAsync(() -> redis.opsForValue().increment(key));
			cluster.awaitHealthy();
			assertThat(cluster.masterOf(SlotHash.getSlot(key))).as("promoted replica").isNotSameAs(master);
			cluster.resume(master);
			try {
				write.get(RECOVERY_LIMIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				error = describe(ex.getCause());
			}
		}
		cluster.awaitHealthy();
		assertThat(master.role()).as("the old master once it heard of its failover").isEqualTo(Role.REPLICA);
		String readAfter = readIndependently((commands) -> commands.get(key));
		reportLine(String.format("[chaos] %-12s frozen master woken at its failover (%s): write %s; reads %s afterwards",
				this.mode, unanswered, (error != null) ? "failed: " + error : "acknowledged", readAfter));
		return new FrozenWrite(value, error == null, error, readAfter);
	}

	record FrozenWrite(String value, boolean acknowledged, String error, String readAfter) {

	}

}
