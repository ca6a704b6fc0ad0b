package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisresilience.benchmarks.ScaleBenchmark.ScaleRun;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RedisPod;

/**
 * What a fleet of clients costs the cluster, by cluster size: for each cluster (6, 24, 48 nodes,
 * plain and TLS) and disruption, first the kit alone, then one fleet of each client kind after
 * the other, each through the same disruption, sampled as the scale suite samples; then the
 * frozen-master race of the resilience suite, repeated, for the time from the promotion to the
 * first fully served second.
 */
final class FleetCostBenchmark {

	private static final Logger logger = LoggerFactory.getLogger(FleetCostBenchmark.class);

	private static final Duration START_LIMIT = Duration.ofSeconds(90);

	private final FleetCostSettings settings;

	private final FleetCostReport report;

	private final List<FleetRun> runs = new ArrayList<>();

	private FleetCostBenchmark(FleetCostSettings settings) {
		this.settings = settings;
		this.report = new FleetCostReport(settings);
	}

	static void run(FleetCostSettings settings) throws Exception {
		System.out.println("[fleet] " + settings);
		new FleetCostBenchmark(settings).run();
	}

	private void run() throws Exception {
		if (!this.settings.disruptions().isEmpty()) {
			for (boolean tls : this.settings.tls()) {
				for (int nodes : this.settings.nodes()) {
					measureCluster(nodes, tls);
				}
			}
			String markdown = this.report.write(this.runs);
			System.out.println();
			System.out.print(markdown);
		}
		if (this.settings.frozenRuns() > 0) {
			List<RunResult> frozen = ResilienceBenchmark.repeat(Scenario.MASTER_FROZEN_PAST_FAILOVER,
					this.settings.frozenClients(), this.settings.frozenRuns(), this.report::writeFrozen);
			System.out.println();
			System.out.print(this.report.writeFrozen(frozen));
		}
		System.out.println("[fleet] written to " + this.settings.results().toAbsolutePath());
	}

	/** One cluster: per disruption the kit alone, then every fleet size and kind. */
	private void measureCluster(int nodes, boolean tls) throws Exception {
		LocalRedisCluster.Builder builder = LocalRedisCluster.builder()
			.name("fleet-" + nodes + (tls ? "-tls" : ""))
			.masters(nodes / 2)
			.replicasPerMaster(1)
			.healTimeout(Duration.ofSeconds(180));
		if (tls) {
			// Every client verifies the names the certificate carries: the pods announce them.
			builder.announceHostnames(PreferredEndpoint.HOSTNAME).tls();
		}
		Instant starting = Instant.now();
		try (LocalRedisCluster cluster = builder.start(); LedgerCheck ledgerCheck = new LedgerCheck()) {
			System.out.printf(Locale.ROOT, "[fleet] cluster %s: %d nodes%s, started in %.1f s, seeds %s%n", cluster.name(),
					nodes, tls ? ", TLS" : "", Duration.between(starting, Instant.now()).toMillis() / 1000.0,
					cluster.seedNodes());
			ClusterTls clusterTls = tls ? ClusterTls.of(cluster) : null;
			for (FleetDisruption disruption : this.settings.disruptions()) {
				this.runs.add(measure(cluster, clusterTls, nodes, disruption, null, 0, ledgerCheck));
				for (int size : this.settings.sizes()) {
					for (ClientKind kind : this.settings.kinds()) {
						this.runs.add(measure(cluster, clusterTls, nodes, disruption, kind, size, ledgerCheck));
						this.report.write(this.runs);
					}
				}
			}
		}
	}

	/** One fleet ({@code kind} null: none, the kit alone) through one disruption. */
	private FleetRun measure(LocalRedisCluster cluster, @Nullable ClusterTls tls, int nodes, FleetDisruption disruption,
			@Nullable ClientKind kind, int size, LedgerCheck ledgerCheck) throws Exception {
		String label = (kind != null) ? kind.label() : ScaleRun.NO_CLIENTS;
		List<RedisPod> pods = cluster.pods();
		Instant origin = Instant.now();
		CommandStatsSampler sampler = CommandStatsSampler.start(pods, origin, (tls != null) ? tls.socketFactory() : null);
		ClientFleet fleet = (kind != null) ? ClientFleet.start(kind, size, cluster.seedNodes(), tls, true) : null;
		FleetDisruption.Done done = null;
		try {
			int started = sampler.secondOf(Instant.now()) + 1;
			if (fleet != null) {
				System.out.printf(Locale.ROOT, "[fleet] %d nodes%s, %s: %d %s clients started in %.1f s (%d failed)%n",
						nodes, (tls != null) ? " TLS" : "", disruption, fleet.size(), label,
						fleet.startedIn().toMillis() / 1000.0, fleet.failedToStart());
				fleet.startWorkloads(this.settings.rate(), sampler);
				awaitUntil(() -> fleet.allHadGoodSecondSince(started, sampler.secondOf(Instant.now())), START_LIMIT);
			}
			// Start-up refreshes settle first: the steady window starts two seconds later.
			pause(Duration.ofSeconds(2));
			int before = sampler.secondOf(Instant.now()) + 1;
			pause(this.settings.steady());
			done = disruption.run(cluster);
			int disrupted = sampler.secondOf(done.report().started());
			int healed = sampler.secondOf(done.report().healed());
			pause(Duration.between(Instant.now(), done.report().healed().plus(this.settings.after())));
			int end = sampler.secondOf(Instant.now());
			List<OptionalInt> recovered = List.of();
			long healthyAtEnd = 0;
			List<int[]> operations = new ArrayList<>();
			LedgerCheck.Verdict verdict = null;
			if (fleet != null) {
				fleet.stopWorkloads();
				recovered = fleet.firstGoodSeconds(healed, end);
				healthyAtEnd = fleet.healthyThroughout(end - 5, end);
				for (int s = 0; s < end; s++) {
					operations.add(fleet.operations(s));
				}
				// The fleet writes and reads back; it keeps no counters.
				verdict = ledgerCheck.check(cluster.seedNodes(), fleet.ledger(), List.of(), tls);
			}
			sampler.close();
			Map<Integer, Map<String, Double>> seconds = sampler.seconds();
			if (fleet != null && fleet.countsClientSide()) {
				seconds = withClientCounts(seconds, fleet, end);
			}
			ScaleRun run = new ScaleRun(label, (fleet != null) ? fleet.size() : 0,
					(fleet != null) ? fleet.failedToStart() : 0, (fleet != null) ? fleet.startedIn() : Duration.ZERO,
					seconds, started, before, disrupted, healed, end, done.report().unhealthyFor(), recovered,
					healthyAtEnd, operations, verdict);
			FleetRun result = new FleetRun(nodes, tls != null, disruption, kind, done.report().addressChanges().size(),
					run, (fleet != null && fleet.countsClientSide()) ? fleet.newConnections(disrupted, healed) : null);
			System.out.println("[fleet] " + result.summary());
			if (fleet != null && fleet.countsClientSide()) {
				System.out.println("[fleet] " + label + " client 0, connections from the disruption (s" + disrupted
						+ ", healed s" + healed + "): " + fleet.firstClientConnections(disrupted));
			}
			return result;
		}
		finally {
			sampler.close();
			if (fleet != null) {
				fleet.close();
			}
			if (done != null) {
				try {
					done.cleanup().run();
				}
				catch (RuntimeException ex) {
					logger.warn("Could not put {} back after {}", cluster.name(), disruption, ex);
				}
			}
		}
	}

	/** The cluster's counts of each second with the fleet's own counts beside them. */
	private static Map<Integer, Map<String, Double>> withClientCounts(Map<Integer, Map<String, Double>> cluster,
			ClientFleet fleet, int end) {
		Map<Integer, Map<String, Double>> seconds = new TreeMap<>();
		cluster.forEach((second, counts) -> seconds.put(second, new HashMap<>(counts)));
		for (int second = 0; second <= end; second++) {
			seconds.computeIfAbsent(second, (s) -> new HashMap<>()).putAll(fleet.clientCounts(second));
		}
		return seconds;
	}

	private static void pause(Duration duration) throws InterruptedException {
		if (!duration.isNegative()) {
			Thread.sleep(duration.toMillis());
		}
	}

	/** Waits, bounded, for a condition, looking four times a second. */
	private static void awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
		Instant deadline = Instant.now().plus(limit);
		while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
			Thread.sleep(250);
		}
	}

}
