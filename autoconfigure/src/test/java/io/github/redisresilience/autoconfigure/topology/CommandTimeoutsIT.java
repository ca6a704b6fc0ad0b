package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.command.CommandListener;
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
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.util.ReflectionTestUtils;

import io.github.redisresilience.autoconfigure.retry.AttemptsTimedOutEvent;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command timeout is the watcher's sign of a frozen or overloaded node: the command retry's
 * sweep reports its first attempts' timeouts ({@link AttemptsTimedOutEvent}), and the watcher
 * listens to no command. A timeout of a command sent before the view moved on (here: its
 * master's replica was promoted) is an echo, not new trouble.
 * <p>
 * The unanswered-connection closer is off in every test, so a command timeout is the only sign
 * of a frozen master there is.
 */
class CommandTimeoutsIT {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	private static final List<String> ONLY_TIMEOUTS = List.of("redis.resilience.timeouts.unanswered=0",
			"redis.resilience.topology.refresh.period=2s");

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private final ExecutorService caller = Executors.newSingleThreadExecutor();

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().nodeTimeout(Duration.ofSeconds(1)).start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void stopApplicationAndRestoreCluster() throws InterruptedException {
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (pod.isPaused()) {
				cluster.resume(pod);
			}
		}
		this.caller.shutdownNow();
		this.caller.awaitTermination(30, TimeUnit.SECONDS);
	}

	/**
	 * A read sent to a frozen master: its first attempt times out after the 1 s command timeout,
	 * the retry's sweep reports it and the watcher is degraded, with no command listener on the
	 * client. Before the sweep looked under Lettuce's latency wrapper (HdrHistogram is on this
	 * class path), no first attempt timed out here at all.
	 */
	@Test
	void aFirstAttemptTimingOutOnAFrozenMasterIsTroubleAndNoCommandIsListenedTo() {
		startApplication("spring.data.redis.timeout=1s");
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		assertThat(commandListeners(watcher.clusterClient())).as("command listeners").isEmpty();
		String key = key();
		readOnce(key);
		cluster.pause(cluster.masterOf(SlotHash.getSlot(key)));
		long sent = System.nanoTime();
		this.caller.execute(() -> readIgnoringFailure(key));
		await("a command timeout seen as trouble").atMost(LIMIT)
			.until(() -> watcher.counters().signs(TopologyCounters.Sign.COMMAND_TIMEOUT) >= 1);
		Duration seenAfter = Duration.ofNanos(System.nanoTime() - sent);
		report("command timeout seen as trouble " + seenAfter.toMillis() + " ms after the read was sent; "
				+ timedOut().size() + " sweep reports");
		assertThat(timedOut()).as("reported by the retry's sweep").isNotEmpty();
		assertThat(watcher.isDegraded()).isTrue();
	}

	/**
	 * A read is sent to a master that is frozen; its replica is promoted and the client routes by
	 * the promotion (read every 2 s) before the read's first attempt times out. That timeout says
	 * nothing new: the watcher does not count it (it would open another trouble window after the
	 * failover). Failed nodes stay in the view, so the frozen master's connection stays open and
	 * the attempt does time out rather than fail as Lettuce closes the connection.
	 */
	@Test
	void aTimeoutOfACommandSentBeforeTheViewPromotedAReplicaIsNotNewTrouble() {
		Duration attemptTimeout = Duration.ofSeconds(12);
		// A budget that leaves room for a retry after the long first attempt.
		startApplication("spring.data.redis.timeout=" + attemptTimeout.toSeconds() + "s",
				"redis.resilience.retry.budget=20s", "redis.resilience.topology.exclude-failed-nodes=false");
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		String key = key();
		int slot = SlotHash.getSlot(key);
		readOnce(key);
		RedisPod master = cluster.masterOf(slot);
		cluster.pause(master);
		long sent = System.nanoTime();
		CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> readOnce(key), this.caller);
		cluster.awaitHealthy();
		RedisPod promoted = cluster.masterOf(slot);
		assertThat(promoted).as("promoted replica").isNotSameAs(master);
		await("the promotion seen by the watcher").atMost(LIMIT)
			.until(() -> routesTo(watcher.clusterClient(), slot, promoted) && watcher.routingSinceNanos() - sent > 0);
		Duration promotionSeen = Duration.ofNanos(System.nanoTime() - sent);
		assertThat(promotionSeen).as("promotion seen before the first attempt timed out: else nothing is judged")
			.isLessThan(attemptTimeout.minusSeconds(1));
		await("the first attempt timed out").atMost(LIMIT).until(() -> !timedOut().isEmpty());
		assertThat(timedOut().get(0).newestSentNanos() - watcher.routingSinceNanos()).as("sent before the promotion")
			.isNegative();
		await("no command timeout counted").during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> watcher.counters().signs(TopologyCounters.Sign.COMMAND_TIMEOUT) == 0);
		report("promotion seen " + promotionSeen.toMillis() + " ms after the read was sent, its attempt timed out after "
				+ attemptTimeout.toMillis() + " ms: " + timedOut().size() + " sweep reports, "
				+ watcher.counters().signs(TopologyCounters.Sign.COMMAND_TIMEOUT) + " counted as trouble; read "
				+ (read.orTimeout(LIMIT.toSeconds(), TimeUnit.SECONDS).handle((value, failure) -> (failure != null)
						? "failed: " + failure.getMessage() : "answered").join()));
	}

	/** Only the timeout the read gives matters, not its outcome. */
	private void readIgnoringFailure(String key) {
		try {
			readOnce(key);
		}
		catch (RuntimeException ex) {
			report("read failed: " + ex.getMessage());
		}
	}

	private String readOnce(String key) {
		return this.context.getBean(StringRedisTemplate.class).opsForValue().get(key);
	}

	private static String key() {
		return "command-timeouts:{" + Long.toString(System.nanoTime(), 36) + "}";
	}

	private List<AttemptsTimedOutEvent> timedOut() {
		return this.context.getBean(TimedOutAttempts.class).events;
	}

	@SuppressWarnings("unchecked")
	private static List<CommandListener> commandListeners(RedisClusterClient client) {
		return (List<CommandListener>) ReflectionTestUtils.invokeMethod(client, "getCommandListeners");
	}

	private static boolean routesTo(RedisClusterClient client, int slot, RedisPod pod) {
		RedisClusterNode node = client.getPartitions().getPartitionBySlot(slot);
		return node != null && pod.nodeId().equals(node.getNodeId());
	}

	private void startApplication(String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"redis.resilience.dns.resolver=jdk"));
		all.addAll(ONLY_TIMEOUTS);
		all.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		// The watcher's first look: a promotion is told from the replica that look saw.
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		await("the watcher's first look").atMost(LIMIT).until(() -> watcher.deploymentShape().isPresent());
	}

	private static void report(String line) {
		System.out.println("[command-timeouts] " + line);
	}

	/** Records what the retry's sweep reports. */
	static final class TimedOutAttempts implements ApplicationListener<PayloadApplicationEvent<AttemptsTimedOutEvent>> {

		final List<AttemptsTimedOutEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<AttemptsTimedOutEvent> event) {
			this.events.add(event.getPayload());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		TimedOutAttempts timedOutAttempts() {
			return new TimedOutAttempts();
		}

	}

}
