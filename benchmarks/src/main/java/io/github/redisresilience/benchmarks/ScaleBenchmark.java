package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

/**
 * Many application clients through a move of every pod: how many topology commands the cluster
 * receives per second, before, during and after, so a refresh storm would show; one kind of client
 * at a time, so the numbers are attributable; first with no clients at all, for the kit's own.
 */
final class ScaleBenchmark {

	private static final Duration START_LIMIT = Duration.ofSeconds(60);

	private final ScaleSettings settings;

	private final LocalRedisCluster cluster;

	private final List<RedisPod> pods;

	private ScaleBenchmark(ScaleSettings settings, LocalRedisCluster cluster) {
		this.settings = settings;
		this.cluster = cluster;
		this.pods = cluster.pods();
	}

	static void run(ScaleSettings settings) throws Exception {
		System.out.println("[scale] " + settings);
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().start()) {
			System.out.println("[scale] cluster " + cluster.name() + " on redis-server " + cluster.binary().version()
					+ ", seeds " + cluster.seedNodes());
			new ScaleBenchmark(settings, cluster).run();
		}
	}

	private void run() throws Exception {
		List<ScaleRun> runs = new ArrayList<>();
		ScaleReport report = new ScaleReport(this.settings, this.cluster.binary().version().toString());
		try (LedgerCheck ledgerCheck = new LedgerCheck()) {
			runs.add(measure(null, ledgerCheck));
			for (ClientKind kind : this.settings.kinds()) {
				runs.add(measure(kind, ledgerCheck));
				report.write(runs);
			}
		}
		String markdown = report.write(runs);
		System.out.println();
		System.out.print(markdown);
		System.out.println("[scale] written to " + this.settings.results().resolve("scale.md").toAbsolutePath());
	}

	/** One fleet (none for {@code kind} null) through one move of every pod. */
	private ScaleRun measure(@Nullable ClientKind kind, LedgerCheck ledgerCheck) throws Exception {
		String label = (kind != null) ? kind.label() : ScaleRun.NO_CLIENTS;
		Instant origin = Instant.now();
		CommandStatsSampler sampler = CommandStatsSampler.start(this.pods, origin);
		ClientFleet fleet = (kind != null) ? ClientFleet.start(kind, this.settings.size(), this.cluster.seedNodes())
				: null;
		try {
			int started = sampler.secondOf(Instant.now()) + 1;
			if (fleet != null) {
				System.out.printf(Locale.ROOT, "[scale] %d %s clients started in %.1f s (%d failed)%n", fleet.size(),
						label, fleet.startedIn().toMillis() / 1000.0, fleet.failedToStart());
				fleet.startWorkloads(this.settings.rate(), sampler);
				awaitUntil(() -> fleet.allHadGoodSecondSince(started, sampler.secondOf(Instant.now())), START_LIMIT);
			}
			int before = sampler.secondOf(Instant.now()) + 1;
			pause(this.settings.before());
			ChaosReport move = this.cluster.moveAllPods(this.settings.oldAddresses());
			int disrupted = sampler.secondOf(move.started());
			int healed = sampler.secondOf(move.healed());
			pause(Duration.between(Instant.now(), move.healed().plus(this.settings.after())));
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
				verdict = ledgerCheck.check(this.cluster.seedNodes(), fleet.ledger(), List.of());
			}
			sampler.close();
			ScaleRun run = new ScaleRun(label, (fleet != null) ? fleet.size() : 0,
					(fleet != null) ? fleet.failedToStart() : 0,
					(fleet != null) ? fleet.startedIn() : Duration.ZERO, sampler.seconds(), started, before, disrupted,
					healed, end, move.unhealthyFor(), recovered, healthyAtEnd, operations, verdict);
			System.out.println("[scale] " + run.summary());
			return run;
		}
		finally {
			sampler.close();
			if (fleet != null) {
				fleet.close();
			}
		}
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

	/** What one fleet's run measured; seconds count from the sampler's origin. */
	record ScaleRun(String label, int size, int failedToStart, Duration startedIn,
			Map<Integer, Map<String, Double>> seconds, int started, int before, int disrupted, int healed, int end,
			Duration unhealthyFor, List<OptionalInt> recovered, long healthyAtEnd, List<int[]> operations,
			LedgerCheck.@Nullable Verdict ledger) {

		static final String NO_CLIENTS = "no clients (the kit alone)";

		/** The commands clients read the topology with: Lettuce and Redisson CLUSTER NODES, Jedis CLUSTER SLOTS. */
		static final List<String> TOPOLOGY = List.of("cluster|nodes", "cluster|slots", "cluster|shards");

		double topology(int second) {
			Map<String, Double> counts = this.seconds.getOrDefault(second, Map.of());
			return TOPOLOGY.stream().mapToDouble((command) -> counts.getOrDefault(command, 0.0)).sum();
		}

		double count(int second, String counter) {
			return this.seconds.getOrDefault(second, Map.of()).getOrDefault(counter, 0.0);
		}

		double meanTopology(int from, int before) {
			return (before <= from) ? Double.NaN
					: java.util.stream.IntStream.range(from, before).mapToDouble(this::topology).average().orElse(0);
		}

		double peakTopology(int from, int before) {
			return java.util.stream.IntStream.range(from, before).mapToDouble(this::topology).max().orElse(0);
		}

		int peakSecond(int from, int before) {
			int peak = from;
			for (int s = from; s < before; s++) {
				if (topology(s) > topology(peak)) {
					peak = s;
				}
			}
			return peak;
		}

		String summary() {
			return String.format(Locale.ROOT,
					"%s: topology commands/s before %.1f, during the move %.1f, after %.1f, peak %.0f at %+d s; "
							+ "%d/%d clients had a good second after the heal, %d healthy at the end%s",
					this.label, meanTopology(this.before, this.disrupted), meanTopology(this.disrupted, this.healed + 1),
					meanTopology(this.healed + 1, this.end), peakTopology(this.disrupted, this.end),
					peakSecond(this.disrupted, this.end) - this.disrupted,
					this.recovered.stream().filter(OptionalInt::isPresent).count(), this.size, this.healthyAtEnd,
					(this.ledger != null) ? "; acked writes lost " + this.ledger.lost() : "");
		}

	}

}
