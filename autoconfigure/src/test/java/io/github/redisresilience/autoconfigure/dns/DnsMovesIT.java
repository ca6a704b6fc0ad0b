package io.github.redisresilience.autoconfigure.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RequiresRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every pod moves to a new IP at once, the old IPs black-holed, while the application resolves
 * the seeds (the headless Service name) or, where pods announce them, the pods' host names
 * through real DNS: the kit's DNS server, whose records carry a real TTL and change as the pods
 * move. The client follows as soon as the cached answer expires, which the record's TTL and
 * {@code redis.resilience.dns.max-ttl} bound; a cache that outlives the test's budget never
 * follows (the negative control). The JDK resolver, reading the hosts file, follows too.
 */
// The first test pays for the JVM's first Spring start (30 s on a loaded machine): a short one, not
// a negative control that waits out the whole budget.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsMovesIT {

	/** The longest a client may take, from the cluster's heal, to serve a fully successful second. */
	private static final Duration BUDGET = Duration.ofSeconds(20);

	/** Far beyond the budget: a cache this long is, for the test, a cache that never expires. */
	private static final Duration HOUR = Duration.ofHours(1);

	@Test
	@Order(1)
	void nettyResolverFollowsTheSeedsOnceTheirRecordsExpire() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().dnsTtl(Duration.ofSeconds(2)).start()) {
			assertRecovers(cluster, DnsResolverType.NETTY, "5s");
		}
	}

	/**
	 * Pods announce host names and the seed is a ClusterIP Service, whose address never changes:
	 * the topology always reads, and only the host names' records tell where the pods went.
	 */
	@Test
	@RequiresRedis(7)
	void nettyResolverFollowsAnnouncedHostnamesOnceTheirRecordsExpire() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder()
			.announceHostnames(PreferredEndpoint.HOSTNAME)
			.dnsTtl(Duration.ofSeconds(2))
			.start()) {
			assertRecovers(cluster, clusterIpSeed(cluster), DnsResolverType.NETTY, "5s");
		}
	}

	/** Negative control of the one above: the seed still answers, the cached host names do not. */
	@Test
	@RequiresRedis(7)
	void clientStaysOnTheOldAddressesOfAnnouncedHostnamesWhileItsDnsCacheOutlivesTheMove() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder()
			.announceHostnames(PreferredEndpoint.HOSTNAME)
			.dnsTtl(HOUR)
			.start();
				Application application = Application.start(cluster, clusterIpSeed(cluster), DnsResolverType.NETTY,
						"1h")) {
			assertNoRecovery(application, application.moveAllPods(cluster));
		}
	}

	/** The records say to keep them for an hour; the starter's cap is what makes the client follow. */
	@Test
	void maxTtlCapsRecordsThatOutliveTheMove() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().dnsTtl(HOUR).start()) {
			assertRecovers(cluster, DnsResolverType.NETTY, "2s");
		}
	}

	/** Negative control of the one above: a max-ttl as long as the records keeps the old addresses. */
	@Test
	void clientStaysOnTheOldAddressesOfItsSeedsWhileItsDnsCacheOutlivesTheMove() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().dnsTtl(HOUR).start();
				Application application = Application.start(cluster, serviceSeed(cluster), DnsResolverType.NETTY,
						"1h")) {
			assertNoRecovery(application, application.moveAllPods(cluster));
		}
	}

	@Test
	void jdkResolverFollowsTheHostsFile() throws Exception {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().start()) {
			assertRecovers(cluster, DnsResolverType.JDK, "5s");
		}
	}

	private static String serviceSeed(LocalRedisCluster cluster) {
		return cluster.serviceName() + ":" + cluster.port();
	}

	private static String clusterIpSeed(LocalRedisCluster cluster) {
		return cluster.startClusterIpService().address().getHostString() + ":" + cluster.port();
	}

	private static void assertNoRecovery(Application application, ChaosReport report) {
		await("no fully successful second within the budget").during(BUDGET)
			.atMost(BUDGET.plusSeconds(10))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> application.workload.firstFullySuccessfulSecondAfter(report.healed()).isEmpty());
		assertThat(application.workload.failuresSince(report.healed())).as("operations failed after the heal")
			.isPositive();
	}

	private static void assertRecovers(LocalRedisCluster cluster, DnsResolverType resolver, String maxTtl)
			throws Exception {
		assertRecovers(cluster, serviceSeed(cluster), resolver, maxTtl);
	}

	private static void assertRecovers(LocalRedisCluster cluster, String seeds, DnsResolverType resolver,
			String maxTtl) throws Exception {
		try (Application application = Application.start(cluster, seeds, resolver, maxTtl)) {
			ChaosReport report = application.moveAllPods(cluster);
			await("a fully successful second after the heal").atMost(BUDGET.plusSeconds(2))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> application.workload.firstFullySuccessfulSecondAfter(report.healed()).isPresent());
			Instant recovered = application.workload.firstFullySuccessfulSecondAfter(report.healed()).orElseThrow();
			String names = (resolver == DnsResolverType.JDK) ? "hosts file"
					: "kit DNS, record TTL " + cluster.dnsTtl().toSeconds() + "s, max-ttl " + maxTtl;
			System.out.printf("[dns] %s (%s): cluster healed after %d ms, first fully successful second %d ms "
					+ "after the heal, %d failed operations%n", resolver, names, report.unhealthyFor().toMillis(),
					Duration.between(report.healed(), recovered).toMillis(), application.workload.failures());
			assertThat(Duration.between(report.healed(), recovered)).isLessThanOrEqualTo(BUDGET);
			// The move is shorter than the retry budget (10 s): once names follow, no operation fails.
			assertThat(application.workload.failures()).as("failed operations").isZero();
			application.stopWorkloadAndCheckLedger();
		}
	}

	/** The application, its workload running from the start. */
	private static final class Application implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final LedgerWorkload workload;

		private Application(ConfigurableApplicationContext context) {
			this.context = context;
			this.workload = new LedgerWorkload(context.getBean(StringRedisTemplate.class));
		}

		static Application start(LocalRedisCluster cluster, String seeds, DnsResolverType resolver, String maxTtl) {
			List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + seeds,
					"--redis.resilience.dns.resolver=" + resolver.name().toLowerCase(Locale.ROOT),
					"--redis.resilience.dns.max-ttl=" + maxTtl));
			if (resolver == DnsResolverType.NETTY) {
				InetSocketAddress dns = cluster.dnsServer();
				arguments.add("--redis.resilience.dns.servers=" + dns.getHostString() + ":" + dns.getPort());
			}
			ConfigurableApplicationContext context = new SpringApplicationBuilder(DnsApplication.class)
				.web(WebApplicationType.NONE)
				.run(arguments.toArray(String[]::new));
			return new Application(context);
		}

		ChaosReport moveAllPods(LocalRedisCluster cluster) {
			await("the workload served before the move").atMost(BUDGET)
				.until(() -> this.workload.firstFullySuccessfulSecondAfter(Instant.now().minusSeconds(2)).isPresent());
			return cluster.moveAllPods(OldAddresses.BLACK_HOLE);
		}

		void stopWorkloadAndCheckLedger() throws InterruptedException {
			this.workload.close();
			StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
			Map<String, String> ledger = this.workload.ledger;
			assertThat(ledger).isNotEmpty();
			ledger.forEach((key, value) -> assertThat(redis.opsForValue().get(key)).as("acknowledged write %s", key)
				.isEqualTo(value));
		}

		/** The client goes first: operations stuck on black-holed addresses then end at once. */
		@Override
		public void close() throws InterruptedException {
			this.workload.stop();
			try {
				this.context.close();
			}
			finally {
				this.workload.close();
			}
		}

	}

	/**
	 * Two threads writing unique keys and reading each back, every 20 ms, keeping every write
	 * the application saw acknowledged.
	 */
	private static final class LedgerWorkload implements AutoCloseable {

		private static final int THREADS = 2;

		private static final int MAX_OPERATIONS_PER_THREAD = 20_000;

		private final StringRedisTemplate redis;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private static final Duration PACE = Duration.ofMillis(20);

		/** One thread per stream, so that one stream blocked on a moving node does not hold up the other. */
		private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(THREADS, (task) -> {
			Thread thread = new Thread(task, "dns-workload");
			thread.setDaemon(true);
			return thread;
		});

		private final Map<String, String> ledger = new ConcurrentHashMap<>();

		private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

		LedgerWorkload(StringRedisTemplate redis) {
			this.redis = redis;
			String run = Long.toString(System.nanoTime(), 36);
			for (int i = 0; i < THREADS; i++) {
				String prefix = "dns:{" + run + "-" + i + "}-";
				AtomicInteger next = new AtomicInteger();
				// Paced by the schedule, not a busy loop: about 50 operations a second per stream; a
				// step that blocks (the cluster moving) delays the next, never overlaps it.
				this.scheduler.scheduleAtFixedRate(() -> step(prefix, next.getAndIncrement()), 0, PACE.toMillis(),
						TimeUnit.MILLISECONDS);
			}
		}

		private void step(String prefix, int seq) {
			if (seq >= MAX_OPERATIONS_PER_THREAD || !this.running.get()) {
				return;
			}
			String key = prefix + seq;
			String value = "v" + seq;
			boolean succeeded;
			try {
				this.redis.opsForValue().set(key, value);
				this.ledger.put(key, value);
				succeeded = value.equals(this.redis.opsForValue().get(key));
			}
			catch (RuntimeException ex) {
				succeeded = false;
			}
			// Recovery is judged by when operations complete, not when they start.
			this.outcomes.add(new Outcome(Instant.now(), succeeded));
		}

		/** The first instant from {@code from} that starts a full second of only successful operations. */
		Optional<Instant> firstFullySuccessfulSecondAfter(Instant from) {
			List<Outcome> all = List.copyOf(this.outcomes);
			Instant last = all.stream().map(Outcome::completed).max(Instant::compareTo).orElse(from);
			for (Instant start = from; !start.plusSeconds(1).isAfter(last); start = start.plusMillis(100)) {
				Instant windowStart = start;
				List<Outcome> window = all.stream()
					.filter((outcome) -> !outcome.completed().isBefore(windowStart)
							&& outcome.completed().isBefore(windowStart.plusSeconds(1)))
					.toList();
				if (window.size() >= THREADS && window.stream().allMatch(Outcome::succeeded)) {
					return Optional.of(windowStart);
				}
			}
			return Optional.empty();
		}

		long failures() {
			return this.outcomes.stream().filter((outcome) -> !outcome.succeeded()).count();
		}

		long failuresSince(Instant from) {
			return this.outcomes.stream()
				.filter((outcome) -> !outcome.succeeded() && !outcome.completed().isBefore(from))
				.count();
		}

		void stop() {
			this.running.set(false);
		}

		@Override
		public void close() throws InterruptedException {
			stop();
			// The steps under way finish (an interrupted one would count as failed); no new one starts.
			this.scheduler.shutdown();
			this.scheduler.awaitTermination(30, TimeUnit.SECONDS);
		}

		private record Outcome(Instant completed, boolean succeeded) {
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DnsApplication {

	}

}
