package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.retry.RedisResilienceRetryProperties;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.LocalRedisCluster;

/**
 * The soak: one application with the starter under a steady mixed workload for the run's
 * duration, while a seeded schedule disrupts its cluster after a random quiet time following each
 * heal; then the ledger is read back and the resources sampled along the way are judged.
 */
final class SoakRun {

	/** How long after a heal the application may take to have a fully successful second. */
	static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

	/** How long stopping the workload may wait for an operation still running. */
	private static final Duration STOP_WAIT = Duration.ofMinutes(2);

	static final String CLIENT_NAME = "soak-app";

	private final SoakSettings settings;

	private final SoakCredentials credentials;

	private SoakRun(SoakSettings settings, SoakCredentials credentials) {
		this.settings = settings;
		this.credentials = credentials;
	}

	/**
	 * Runs a soak and writes its results.
	 * @param settings what to run
	 * @return what was seen and judged
	 */
	static SoakResult run(SoakSettings settings) throws IOException, InterruptedException {
		System.out.println("[soak] " + settings);
		Path secrets = Files.createTempDirectory("soak-secret");
		SoakCredentials credentials = new SoakCredentials(secrets);
		try (LocalRedisCluster cluster = credentials.protect(LocalRedisCluster.builder().name("soak")).start()) {
			System.out.println("[soak] cluster " + cluster.name() + " on redis-server " + cluster.binary().version()
					+ ", seeds " + cluster.seedNodes());
			SoakResult result = new SoakRun(settings, credentials).run(cluster);
			new SoakReport(result).write();
			List<String> problems = result.problems();
			System.out.println("[soak] " + (problems.isEmpty() ? "PASSED" : "FAILED: " + String.join("; ", problems)));
			return result;
		}
		finally {
			Files.deleteIfExists(credentials.secretFile());
			Files.deleteIfExists(secrets);
		}
	}

	private SoakResult run(LocalRedisCluster cluster) throws InterruptedException {
		InetSocketAddress dns = cluster.dnsServer();
		try (ConfigurableApplicationContext context = startApplication(cluster.seedNodes(),
				dns.getHostString() + ":" + dns.getPort())) {
			Duration budget = context.getBean(RedisResilienceRetryProperties.class).getBudget();
			SoakWorkload workload = SoakWorkload.start(context.getBean(StringRedisTemplate.class),
					context.getBean(ReactiveStringRedisTemplate.class), this.settings.threads(), this.settings.pace(),
					budget, this.settings.duration().plus(STOP_WAIT).plus(Duration.ofMinutes(10)));
			Instant started = workload.origin();
			Instant end = started.plus(this.settings.duration());
			List<SoakResult.Disrupted> disruptions = new ArrayList<>();
			List<String> disruptionFailures = new ArrayList<>();
			try (SoakSampler sampler = new SoakSampler(cluster, SoakCredentials.ADMIN_PASSWORD, CLIENT_NAME,
					context.getBean(MeterRegistry.class), context.getBean(TopologyWatcher.class),
					context.getBean(SuspectWatch.class))) {
				sampler.start(this.settings.sampleEvery());
				disrupt(cluster, workload, end, disruptions, disruptionFailures);
				sleepUntil(end);
				workload.stop(STOP_WAIT);
				Instant ended = Instant.now();
				List<SoakSample> samples = sampler.samples();
				sampler.close();
				System.out.printf(Locale.ROOT, "[soak] %d operations, %d disruptions; reading the ledger back%n",
						workload.operations(), disruptions.size());
				LedgerCheck.Verdict ledger;
				try (LedgerCheck check = new LedgerCheck(SoakCredentials.ADMIN_PASSWORD)) {
					ledger = check.check(cluster.seedNodes(), workload.writes(), workload.counters());
				}
				return new SoakResult(this.settings, cluster.binary().version().toString(), started, ended,
						disruptions, disruptionFailures, samples, ledger, workload.operations(), workload.failures(),
						workload.failedWithinBudget(), workload.incrAnsweredTwice(), budget, workload.stopped(),
						workload.errors());
			}
		}
	}

	/** Applies disruptions, each after a random quiet time, while the next one can still heal before the end. */
	private void disrupt(LocalRedisCluster cluster, SoakWorkload workload, Instant end,
			List<SoakResult.Disrupted> disruptions, List<String> failures) throws InterruptedException {
		Random random = new Random(this.settings.seed());
		// Bounded: every disruption is preceded by at least the minimal gap.
		long most = this.settings.duration().toMillis() / Math.max(1, this.settings.minGap().toMillis()) + 1;
		for (int i = 0; i < most; i++) {
			Instant next = Instant.now().plus(gap(random));
			if (next.plus(RECOVERY_LIMIT).isAfter(end)) {
				return;
			}
			sleepUntil(next);
			SoakDisruption disruption = pick(cluster, random);
			SoakDisruption.Applied applied;
			try {
				applied = disruption.apply(cluster, random, (from) -> awaitRecovery(workload, from), this.credentials);
			}
			catch (RuntimeException ex) {
				// The cluster did not heal: no further disruption means anything; the workload runs on.
				failures.add(disruption.id() + " failed: " + ex.getMessage());
				System.out.println("[soak] " + disruption.id() + " failed, no further disruption: " + ex);
				return;
			}
			Instant recovered = awaitRecovery(workload, applied.healed());
			// Clients have left the old addresses: they refuse from now on, and their sockets close.
			cluster.releaseOldAddresses();
			disruptions.add(new SoakResult.Disrupted(applied, recovered));
			System.out.printf(Locale.ROOT, "[soak] %s at +%d s: healed after %d ms (whole after %d ms), recovered %s%n",
					disruption.id(), Duration.between(workload.origin(), applied.started()).toSeconds(),
					applied.unhealthyFor().toMillis(), Duration.between(applied.started(), applied.over()).toMillis(),
					(recovered != null) ? Duration.between(applied.healed(), recovered).toMillis() + " ms after the heal"
							: "not within " + RECOVERY_LIMIT.toSeconds() + " s");
		}
	}

	private Duration gap(Random random) {
		long min = this.settings.minGap().toMillis();
		long spread = this.settings.maxGap().toMillis() - min;
		return Duration.ofMillis(min + ((spread > 0) ? (long) (random.nextDouble() * spread) : 0));
	}

	/** One of the disruptions possible now, with equal chances. */
	private static SoakDisruption pick(LocalRedisCluster cluster, Random random) {
		List<SoakDisruption> possible = new ArrayList<>();
		for (SoakDisruption disruption : SoakDisruption.values()) {
			if (disruption.possible(cluster)) {
				possible.add(disruption);
			}
		}
		return possible.get(random.nextInt(possible.size()));
	}

	/** Waits, bounded, for the application's first fully successful second after an instant. */
	private static @Nullable Instant awaitRecovery(SoakWorkload workload, Instant from) {
		long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<Instant> recovered = workload.recoveredAfter(from);
			if (recovered.isPresent()) {
				return recovered.get();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return workload.recoveredAfter(from).orElse(null);
	}

	private static void sleepUntil(Instant at) throws InterruptedException {
		long millis = Duration.between(Instant.now(), at).toMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

	private ConfigurableApplicationContext startApplication(String seeds, String nameServer) {
		List<String> args = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + seeds,
				// The starter's default resolver (Netty's), asking the kit's DNS server as an
				// application in Kubernetes asks the cluster's: names answered with a TTL, and
				// changed by every move.
				"--redis.resilience.dns.resolver=netty", "--redis.resilience.dns.servers=" + nameServer,
				"--spring.data.redis.client-name=" + CLIENT_NAME,
				// An ACL user whose password the application reads from a mounted secret on every connect.
				"--spring.data.redis.username=" + SoakCredentials.USER,
				"--bench.soak.password-file=" + this.credentials.secretFile(),
				// Counters too are retried, each applied once: the ledger demands every INCR exactly once.
				"--redis.resilience.retry.exactly-once=INCR", "--spring.main.banner-mode=off",
				"--spring.jmx.enabled=false", "--spring.application.name=soak",
				"--bench.soak.leak=" + this.settings.leak()));
		return new SpringApplicationBuilder(SoakApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args.toArray(String[]::new));
	}

}
