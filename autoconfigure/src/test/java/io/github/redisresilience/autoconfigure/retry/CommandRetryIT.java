package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
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
 * With the default retry policy, an application's SET/GET workload sees no failed operation
 * while a master is killed and its replica promoted, and while every pod moves to a new
 * address with the old ones black-holed; and an INCR counter is never incremented twice.
 * <p>
 * The counter accounting: each INCR the application saw succeed was applied at least once, and
 * a retry after an ambiguous failure would be the only way to apply one twice, which the
 * default policy never does for INCR. So the final value lies between the acknowledged count
 * and the acknowledged count plus the INCRs that failed (those may or may not have been
 * applied). Redis' asynchronous replication could lose acknowledged INCRs when the master is
 * killed; on loopback a master sends a write to its replica in the same event-loop iteration
 * as the reply, so the test expects no loss, and a loss would show as a value below the
 * acknowledged count.
 */
@WithLocalRedisCluster(shared = false)
class CommandRetryIT {

	static LocalRedisCluster cluster;

	/** Successful SET/GET operations that show the application is served (three writers: about 0.3 s). */
	private static final long SERVED = 50;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void startApplication() {
		this.context = new SpringApplicationBuilder(RetryApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
					// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
					"--redis.resilience.dns.resolver=jdk");
	}

	@AfterEach
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void workloadSeesNoFailureThroughMasterKillAndAllPodsMovingAndNoIncrIsAppliedTwice() throws Exception {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String counterKey = keyServedBy(cluster.masterOf(0));
		Load load = new Load(redis, counterKey);
		List<ChaosReport> reports = new ArrayList<>();
		try {
			load.start(3);
			load.awaitSuccesses(SERVED);
			RedisPod master = cluster.masterOf(0);
			reports.add(cluster.killMaster(master));
			reports.add(cluster.restart(master));
			// Each disruption is an outage of its own, as the retry budget is meant for: the next
			// one starts once the application is served again.
			load.awaitSuccesses(SERVED);
			reports.add(cluster.moveAllPods(OldAddresses.BLACK_HOLE));
			load.awaitSuccesses(SERVED);
		}
		finally {
			load.stop();
		}
		long counter = Long.parseLong(redis.opsForValue().get(counterKey));
		System.out.printf("[retry] chaos %s; %d SET/GET operations, %d failed %s; longest %d ms; "
				+ "INCR acknowledged %d, failed %d, counter %d; retries counted %s%n",
				reports.stream().map((report) -> report.operation() + " " + report.unhealthyFor().toMillis() + "ms")
					.toList(),
				load.operations.get(), load.failures.size(), load.failures.stream().limit(3).toList(),
				load.longest.get(), load.incrAcknowledged.get(), load.incrFailed.get(), counter, retriesCounted());
		assertThat(load.failures).as("failed SET/GET operations").isEmpty();
		assertThat(counter).as("counter value against acknowledged INCRs")
			.isBetween(load.incrAcknowledged.get(), load.incrAcknowledged.get() + load.incrFailed.get());
		assertReactiveConnectionsAreSpringDatasOwnAndWork();
	}

	/** The retry works below Spring Data: nothing it hands out is a proxy. */
	private void assertReactiveConnectionsAreSpringDatasOwnAndWork() {
		ReactiveRedisConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getReactiveConnection();
		try {
			assertThat(AopUtils.isAopProxy(connection)).isFalse();
		}
		finally {
			connection.close();
		}
		ReactiveStringRedisTemplate reactive = this.context.getBean(ReactiveStringRedisTemplate.class);
		assertThat(reactive.opsForValue().set("reactive", "ok").then(reactive.opsForValue().get("reactive"))
			.block(Duration.ofSeconds(15))).isEqualTo("ok");
	}

	private String retriesCounted() {
		MeterRegistry registry = this.context.getBeanProvider(MeterRegistry.class).getIfUnique();
		if (registry == null) {
			return "(no meter registry)";
		}
		List<String> counts = new ArrayList<>();
		registry.find(MicrometerRetryMetrics.METER_NAME).counters().forEach((counter) -> counts
			.add(counter.getId().getTag("reason") + "/" + counter.getId().getTag("outcome") + "=" + (long) counter.count()));
		return counts.toString();
	}

	private static String keyServedBy(RedisPod master) {
		for (int i = 0;; i++) {
			String key = "counter-" + i;
			if (cluster.masterOf(SlotHash.getSlot(key)).equals(master)) {
				return key;
			}
		}
	}

	/**
	 * Threads writing unique keys and reading them back, plus one thread incrementing a
	 * counter, each at a fixed pace.
	 */
	private static final class Load {

		private static final long PACE_MILLIS = 20;

		private final StringRedisTemplate redis;

		private final String counterKey;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> threads = new ArrayList<>();

		final AtomicLong operations = new AtomicLong();

		final AtomicLong succeeded = new AtomicLong();

		final AtomicLong longest = new AtomicLong();

		final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

		final AtomicLong incrAcknowledged = new AtomicLong();

		final AtomicLong incrFailed = new AtomicLong();

		Load(StringRedisTemplate redis, String counterKey) {
			this.redis = redis;
			this.counterKey = counterKey;
		}

		void start(int writers) {
			String run = Long.toString(System.nanoTime(), 36);
			for (int i = 0; i < writers; i++) {
				String prefix = "retry:" + run + ":" + i + ":";
				start("writer-" + i, () -> writeAndRead(prefix));
			}
			start("incr", this::increment);
		}

		private void start(String name, Runnable work) {
			Thread thread = new Thread(work, name);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}

		/**
		 * Waits until this many more SET/GET operations have succeeded: the application is
		 * served (again).
		 */
		void awaitSuccesses(long count) {
			long target = this.succeeded.get() + count;
			await().atMost(Duration.ofSeconds(30)).until(() -> this.succeeded.get() >= target);
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
		}

		private void writeAndRead(String prefix) {
			for (int seq = 0; this.running.get(); seq++) {
				String key = prefix + seq;
				String value = "v" + seq;
				long started = System.nanoTime();
				try {
					this.redis.opsForValue().set(key, value);
					String read = this.redis.opsForValue().get(key);
					if (!value.equals(read)) {
						this.failures.add("read " + read + " after writing " + value + " to " + key);
					}
					else {
						this.succeeded.incrementAndGet();
					}
				}
				catch (RuntimeException ex) {
					this.failures.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
				}
				this.operations.incrementAndGet();
				finished(started);
			}
		}

		private void increment() {
			while (this.running.get()) {
				long started = System.nanoTime();
				try {
					this.redis.opsForValue().increment(this.counterKey);
					this.incrAcknowledged.incrementAndGet();
				}
				catch (RuntimeException ex) {
					this.incrFailed.incrementAndGet();
				}
				finished(started);
			}
		}

		private void finished(long started) {
			long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			this.longest.accumulateAndGet(took, Math::max);
			try {
				TimeUnit.MILLISECONDS.sleep(Math.max(0, PACE_MILLIS - took));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class RetryApplication {

	}

}
