package io.github.redisresilience.autoconfigure.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures what the server-side settings {@code min-replicas-to-write}, {@code min-replicas-max-lag}
 * and {@code cluster-node-timeout} change when a master freezes, for stock Spring Boot and for the
 * starter: acknowledged writes lost, failed operations, time from the promotion to the first fully
 * successful second, and how long the promoted master (which has no replica while its old master is
 * frozen) rejects writes.
 * <p>
 * A measurement, not a check: it asserts only that the runs happened and the starter lost nothing.
 * It runs only with {@code -Dchaos.server-settings=true} (the {@code server-settings} Maven profile),
 * {@code -Dchaos.repetitions} times per setting, client and scenario (default 1), and appends one
 * line per run to {@code target/server-settings-results.txt}:
 * <pre>
 * ./mvnw -B verify -Pserver-settings -pl autoconfigure -am -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ServerSideSettingsIT -Dchaos.repetitions=3
 * </pre>
 */
@EnabledIfSystemProperty(named = "chaos.server-settings", matches = "true")
class ServerSideSettingsIT extends ChaosTestSupport {

	/** A fixed key whose slot's master is frozen; the probe writes to the same slot. */
	private static final String KEY = "server-settings";

	/** Past its failover, the master stays frozen until a fully successful second, or this long. */
	private static final Duration LONGEST_HOLD = Duration.ofSeconds(5);

	static Stream<Settings> settings() {
		return Stream.of(new Settings("defaults", Duration.ofSeconds(2), Map.of()),
				new Settings("min-replicas-to-write 1, max-lag 10", Duration.ofSeconds(2),
						Map.of("min-replicas-to-write", "1", "min-replicas-max-lag", "10")),
				new Settings("min-replicas-to-write 1, max-lag 1", Duration.ofSeconds(2),
						Map.of("min-replicas-to-write", "1", "min-replicas-max-lag", "1")),
				new Settings("cluster-node-timeout 5s", Duration.ofSeconds(5), Map.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("settings")
	void frozenMaster(Settings settings) throws Exception {
		LocalRedisCluster.Builder builder = LocalRedisCluster.builder().nodeTimeout(settings.nodeTimeout());
		settings.config().forEach(builder::config);
		int repetitions = Integer.getInteger("chaos.repetitions", 1);
		try (LocalRedisCluster cluster = builder.start()) {
			for (int i = 0; i < repetitions; i++) {
				for (ClientMode mode : List.of(ClientMode.STOCK_BOOT, ClientMode.STARTER)) {
					for (boolean resumeAtFailover : List.of(false, true)) {
						try {
							run(cluster, settings, mode, resumeAtFailover);
						}
						finally {
							stopApplication();
							this.context = null;
							restoreCluster(cluster);
						}
					}
				}
			}
		}
	}

	private void run(LocalRedisCluster cluster, Settings settings, ClientMode mode, boolean resumeAtFailover)
			throws InterruptedException {
		startApplication(mode, cluster.seedNodes());
		RedisPod master = cluster.masterOf(SlotHash.getSlot(KEY));
		Workload workload = workload(blocking(), 4, Duration.ofMillis(20));
		ChaosReport failover;
		ChaosReport resumed;
		WriteProbe probe;
		try {
			awaitFullySuccessfulSecondAfter(workload, Instant.now().minusSeconds(2));
			Instant frozen = Instant.now();
			failover = cluster.pauseUntilFailover(master);
			RedisPod promoted = cluster.masterOf(SlotHash.getSlot(KEY));
			probe = WriteProbe.start(promoted.address());
			if (!resumeAtFailover) {
				try {
					await().atMost(LONGEST_HOLD)
						.until(() -> workload.firstFullySuccessfulSecondAfter(failover.healed()).isPresent());
				}
				catch (ConditionTimeoutException ex) {
					// Measured: with min-replicas-to-write the promoted master rejects writes until the old one rejoins.
				}
			}
			resumed = cluster.resume(master);
			probe.awaitAccepted(Duration.ofSeconds(30));
			awaitFullySuccessfulSecondAfter(workload, resumed.healed());
			record(settings, mode, resumeAtFailover, frozen, failover, resumed, probe, workload, cluster);
		}
		finally {
			workload.close();
		}
	}

	private void record(Settings settings, ClientMode mode, boolean resumeAtFailover, Instant frozen,
			ChaosReport failover, ChaosReport resumed, WriteProbe probe, Workload workload, LocalRedisCluster cluster)
			throws InterruptedException {
		Instant promotion = failover.healed();
		workload.close();
		Map<String, String> ledger = workload.acknowledgedWrites();
		int lost = lostWrites(cluster, ledger);
		Optional<Instant> firstGoodSecond = workload.firstFullySuccessfulSecondAfter(promotion);
		String line = String.format(
				"[server-settings] %-36s | %-10s | %-28s | promoted after %5d ms frozen | promoted master rejected "
						+ "writes for %5s ms (%d NOREPLICAS) | old master rejoined %5d ms after promotion | failed ops "
						+ "%4d of %5d | first fully successful second %6s ms after promotion | longest op %5d ms | "
						+ "acknowledged writes lost %d of %d | errors %s",
				settings.name(), mode, resumeAtFailover ? "resumed at failover" : "frozen past failover",
				Duration.between(frozen, promotion).toMillis(),
				probe.acceptedAt().map((at) -> Long.toString(Duration.between(promotion, at).toMillis())).orElse("never"),
				probe.rejections(), Duration.between(promotion, resumed.healed()).toMillis(), workload.failures(),
				workload.outcomes().size(),
				firstGoodSecond.map((at) -> Long.toString(Duration.between(promotion, at).toMillis())).orElse("never"),
				workload.longestOperation().toMillis(), lost, ledger.size(), workload.sampleErrors(2));
		report(line);
		assertThat(ledger).isNotEmpty();
		if (mode == ClientMode.STARTER) {
			assertThat(lost).as("acknowledged writes lost by the starter").isZero();
		}
	}

	/** Reads every acknowledged write back with a client of its own, fresh after the chaos. */
	private static int lostWrites(LocalRedisCluster cluster, Map<String, String> ledger) {
		List<RedisURI> seeds = cluster.pods()
			.stream()
			.map((pod) -> RedisURI.builder()
				.withHost(pod.address().getAddress().getHostAddress())
				.withPort(pod.address().getPort())
				.withTimeout(Duration.ofSeconds(5))
				.build())
			.toList();
		RedisClusterClient client = RedisClusterClient.create(seeds);
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			int lost = 0;
			for (Map.Entry<String, String> write : ledger.entrySet()) {
				if (!write.getValue().equals(connection.sync().get(write.getKey()))) {
					lost++;
				}
			}
			return lost;
		}
		finally {
			client.shutdown();
		}
	}

	private static void report(String line) {
		System.out.println(line);
		try {
			Files.writeString(Path.of("target", "server-settings-results.txt"), line + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The settings measured.
	 *
	 * @param name how results name them
	 * @param nodeTimeout {@code cluster-node-timeout}
	 * @param config further {@code redis.conf} directives
	 */
	record Settings(String name, Duration nodeTimeout, Map<String, String> config) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * Writes to the promoted master directly, every 20 ms from the promotion on, until it accepts a
	 * write: how long it rejects writes for want of a replica ({@code NOREPLICAS}).
	 */
	static final class WriteProbe {

		private final AtomicReference<Instant> acceptedAt = new AtomicReference<>();

		private final AtomicInteger rejections = new AtomicInteger();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private Thread thread;

		static WriteProbe start(InetSocketAddress address) {
			WriteProbe probe = new WriteProbe();
			RedisURI uri = RedisURI.builder()
				.withHost(address.getAddress().getHostAddress())
				.withPort(address.getPort())
				.withTimeout(Duration.ofSeconds(2))
				.build();
			probe.thread = new Thread(() -> probe.run(uri), "write-probe");
			probe.thread.setDaemon(true);
			probe.thread.start();
			return probe;
		}

		private void run(RedisURI uri) {
			RedisClient client = RedisClient.create(uri);
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				for (int i = 0; i < 3000 && this.running.get() && System.nanoTime() < deadline; i++) {
					try {
						connection.sync().set("{" + KEY + "}probe", Integer.toString(i));
						this.acceptedAt.set(Instant.now());
						return;
					}
					catch (RuntimeException ex) {
						if (String.valueOf(ex.getMessage()).startsWith("NOREPLICAS")) {
							this.rejections.incrementAndGet();
						}
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
				}
			}
			finally {
				client.shutdown();
			}
		}

		void awaitAccepted(Duration limit) throws InterruptedException {
			this.thread.join(limit.toMillis());
			this.running.set(false);
		}

		Optional<Instant> acceptedAt() {
			return Optional.ofNullable(this.acceptedAt.get());
		}

		int rejections() {
			return this.rejections.get();
		}

	}

}
