package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redis.resilience.reconnect.*}: a master restarted in place (same address, same node,
 * no failover) is reached again only by Lettuce's reconnect of the connection it dropped: the
 * topology does not change, so nothing else opens a new one, and the commands for its slots wait
 * in that connection's buffer. The backoff between attempts decides when they are served again.
 * <p>
 * The cluster's node timeout is 15 s, so that a restart of a second or two never starts a failover.
 */
class ReconnectBackoffIT {

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration LIMIT = Duration.ofSeconds(45);

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private final AtomicBoolean writing = new AtomicBoolean();

	/** When each write to the restarted master's slot completed successfully. */
	private final ConcurrentLinkedQueue<Instant> written = new ConcurrentLinkedQueue<>();

	private Thread writer;

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
	void stopApplicationAndRestoreCluster() throws InterruptedException {
		this.writing.set(false);
		if (this.writer != null) {
			// A write may wait out the retry budget (10 s) first.
			this.writer.join(TimeUnit.SECONDS.toMillis(30));
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : cluster.pods()) {
			if (!pod.isRunning()) {
				cluster.restart(pod);
			}
		}
	}

	/**
	 * With the default backoff (full jitter, 10 ms to 1 s) the next attempt after the master is
	 * back comes within a second, before or soon after the cluster is healthy again.
	 */
	@Test
	void writesToAMasterRestartedInPlaceAreServedWithinASecondOfItsReturn() {
		Restart restart = restartAMasterInPlace();
		Instant served = await("a write served after the restart").atMost(LIMIT)
			.until(() -> firstWriteAfter(restart.report().healed()), Optional::isPresent)
			.orElseThrow();
		Duration after = Duration.between(restart.report().healed(), served);
		report("default backoff: the restarted master's slot served " + after.toMillis() + " ms after it was healthy ("
				+ restart.report().unhealthyFor().toMillis() + " ms after the restart began)");
		assertThat(after).as("served after the restarted master was healthy, within").isLessThanOrEqualTo(Duration.ofMillis(1500));
	}

	/**
	 * The negative control of the test above: with a 15 s backoff ({@code reconnect.min}), the
	 * dropped connection is dialled again only 15 s after it dropped, and no write to the
	 * master's slots is served for many seconds after the master is back.
	 */
	@Test
	void controlWithALongReconnectBackoffWritesToAMasterRestartedInPlaceWaitForTheNextAttempt() {
		Restart restart = restartAMasterInPlace("redis.resilience.reconnect.delay=exponential",
				"redis.resilience.reconnect.min=15s", "redis.resilience.reconnect.max=16s");
		Instant healed = restart.report().healed();
		await("no write served after the restart").during(Duration.ofSeconds(6))
			.atMost(Duration.ofSeconds(7))
			.until(() -> firstWriteAfter(healed).isEmpty());
		report("15 s backoff: the restarted master's slot still not served " + Duration.between(healed, Instant.now()).toMillis()
				+ " ms after it was healthy (" + restart.report().unhealthyFor().toMillis() + " ms after the restart began)");
	}

	private Restart restartAMasterInPlace(String... properties) {
		startApplication(List.of(properties));
		String key = "reconnect:{" + Long.toString(System.nanoTime(), 36) + "}";
		int slot = SlotHash.getSlot(key);
		RedisPod master = cluster.masterOf(slot);
		startWriting(key);
		ChaosReport report = cluster.restart(master);
		assertThat(cluster.masterOf(slot)).as("still the master: no failover").isSameAs(master);
		return new Restart(master, report);
	}

	private Optional<Instant> firstWriteAfter(Instant instant) {
		return this.written.stream().filter((at) -> at.isAfter(instant)).findFirst();
	}

	/**
	 * Writes to one key until the test ends; returns once writes went through, so that the
	 * application's connection to its master is open when the master restarts.
	 */
	private void startWriting(String key) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		this.writing.set(true);
		this.writer = new Thread(() -> {
			for (int i = 0; i < 100_000 && this.writing.get(); i++) {
				try {
					redis.opsForValue().set(key, "v" + i);
					this.written.add(Instant.now());
				}
				catch (RuntimeException ex) {
					// Writes fail while the master is away: only when they succeed again matters here.
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			}
		}, "reconnect-writer");
		this.writer.setDaemon(true);
		this.writer.start();
		await().atMost(LIMIT).until(() -> this.written.size() >= 3);
	}

	private void startApplication(List<String> properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"redis.resilience.dns.resolver=jdk"));
		all.addAll(properties);
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	private static void report(String line) {
		System.out.println("[reconnect] " + line);
	}

	record Restart(RedisPod master, ChaosReport report) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
