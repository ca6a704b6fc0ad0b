package io.github.redisresilience.autoconfigure.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import org.springframework.data.redis.core.ValueOperations;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RequiresRedis;
import io.github.redisresilience.test.workload.Workload;

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
		assertThat(application.failuresSince(report.healed())).as("operations failed after the heal")
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
			// The move is shorter than the retry budget (10 s): once names follow, no SET or GET fails
			// (an INCR whose outcome is unknown is not re-sent, and the increment ledger judges it).
			assertThat(application.failedWritesAndReads()).as("failed SETs and GETs").isZero();
			application.stopWorkloadAndCheckLedger();
		}
	}

	/** The application, its workload running from the start. */
	private static final class Application implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final StringRedisTemplate redis;

		private final Workload workload;

		private Application(ConfigurableApplicationContext context) {
			this.context = context;
			this.redis = context.getBean(StringRedisTemplate.class);
			ValueOperations<String, String> values = this.redis.opsForValue();
			this.workload = Workload.builder(Workload.Operations.of(values::set, values::get, values::increment))
				.threads(2)
				.pace(Duration.ofMillis(20))
				.name("dns-workload")
				.keyPrefixes("dns:", "dns:counter:")
				.start();
		}

		/** Failed SETs and GETs: the retry re-sends them, so a move shorter than its budget fails none. */
		long failedWritesAndReads() {
			return this.workload.failures(Workload.Step.WRITE_OR_READ) + this.workload.failures(Workload.Step.READ);
		}

		/** Operations that failed from an instant on, by when they completed. */
		long failuresSince(Instant from) {
			return this.workload.outcomes()
				.stream()
				.filter((outcome) -> !outcome.succeeded() && !outcome.completed().isBefore(from))
				.count();
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
			Map<String, String> ledger = this.workload.acknowledgedWrites();
			assertThat(ledger).isNotEmpty();
			ledger.forEach((key, value) -> assertThat(this.redis.opsForValue().get(key))
				.as("acknowledged write %s", key)
				.isEqualTo(value));
			Workload.IncrementLedger increments = this.workload.checkIncrements(this.redis.opsForValue()::get);
			assertThat(increments.lost()).as("acknowledged increments lost").isEmpty();
			assertThat(increments.doubled()).as("increments applied twice").isEmpty();
		}

		/** The client goes first: operations stuck on black-holed addresses then end at once. */
		@Override
		public void close() throws InterruptedException {
			this.workload.stop(Duration.ZERO);
			try {
				this.context.close();
			}
			finally {
				this.workload.close();
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class DnsApplication {

	}

}
