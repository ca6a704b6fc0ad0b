package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.redisresilience.benchmarks.ClientKind.RunningClient;
import io.github.redisresilience.test.LocalRedisCluster;

/**
 * The starter against stock Spring Boot on a healthy cluster: steady-state throughput and latency
 * in alternating rounds, and cold context starts, interleaved the same way.
 * <p>
 * Both clients run in this JVM on the same cluster, seeds and transport and stay started
 * throughout; only one of them carries load at a time. The order flips every round (ABBA), so a
 * drift in the machine's load (other processes, JIT, the cluster's memory) falls on both alike,
 * and the comparison is the ratio within each round, not of totals.
 */
final class OverheadBenchmark {

	private static final ClientKind CANDIDATE = ClientKind.STARTER;

	private static final ClientKind BASELINE = ClientKind.STOCK_BOOT;

	/** Discarded cold starts of each kind: the first JVMs also warm the operating system's file cache. */
	private static final int WARM_UP_STARTS = 1;

	private final OverheadSettings settings;

	private final LocalRedisCluster cluster;

	private OverheadBenchmark(OverheadSettings settings, LocalRedisCluster cluster) {
		this.settings = settings;
		this.cluster = cluster;
	}

	static void run(OverheadSettings settings) throws Exception {
		System.out.println("[overhead] " + settings);
		// Spring reads system properties below the command line the clients are started with.
		settings.starterProperties().forEach(System::setProperty);
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().start()) {
			System.out.println("[overhead] cluster " + cluster.name() + " on redis-server " + cluster.binary().version()
					+ ", seeds " + cluster.seedNodes());
			new OverheadBenchmark(settings, cluster).run();
		}
		finally {
			settings.starterProperties().keySet().forEach(System::clearProperty);
		}
	}

	private void run() throws Exception {
		Map<ClientKind, List<StartupTimer.Sample>> starts = timeStarts();
		Map<String, List<RoundPair>> variants = new LinkedHashMap<>();
		RunningClient candidate = CANDIDATE.start(this.cluster.seedNodes());
		try {
			RunningClient baseline = BASELINE.start(this.cluster.seedNodes());
			try {
				double saturated = warmUp(candidate, baseline);
				for (String variant : this.settings.variants()) {
					int rate = rateOf(variant, saturated);
					variants.put(label(variant, rate), rounds(variant, rate, candidate, baseline));
				}
			}
			finally {
				baseline.closer().close();
			}
		}
		finally {
			candidate.closer().close();
		}
		OverheadReport report = new OverheadReport(this.settings, CANDIDATE, BASELINE, variants, starts,
				this.cluster.binary().version().toString());
		String markdown = report.markdown();
		System.out.println();
		System.out.print(markdown);
		Path file = OverheadReport.write(this.settings.results().resolve("overhead.md"), markdown);
		System.out.println("[overhead] written to " + file.toAbsolutePath());
	}

	private Map<ClientKind, List<StartupTimer.Sample>> timeStarts() throws Exception {
		StartupTimer timer = new StartupTimer(this.cluster.seedNodes(), this.settings.starterProperties(),
				Path.of(System.getProperty("bench.output", "target/benchmark-results"), "startup-probe.log"));
		Map<ClientKind, List<StartupTimer.Sample>> samples = new LinkedHashMap<>();
		samples.put(CANDIDATE, new ArrayList<>());
		samples.put(BASELINE, new ArrayList<>());
		int total = (this.settings.starts() > 0) ? WARM_UP_STARTS + this.settings.starts() : 0;
		for (int i = 0; i < total; i++) {
			List<ClientKind> order = (i % 2 == 0) ? List.of(CANDIDATE, BASELINE) : List.of(BASELINE, CANDIDATE);
			for (ClientKind kind : order) {
				StartupTimer.Sample sample = timer.time(kind);
				if (i >= WARM_UP_STARTS) {
					samples.get(kind).add(sample);
				}
				System.out.printf(Locale.ROOT, "[overhead] start %d %s: context %.0f ms, first operation %.0f ms%s%n",
						i + 1 - WARM_UP_STARTS, kind, sample.context(), sample.firstOperation(),
						(i < WARM_UP_STARTS) ? " (warm-up, not counted)" : "");
			}
		}
		return samples;
	}

	/** Runs both clients saturated, in turn, twice; returns what the baseline reached the second time. */
	private double warmUp(RunningClient candidate, RunningClient baseline) throws InterruptedException {
		Duration half = this.settings.warmUp().dividedBy(2);
		double saturated = 0;
		for (int i = 0; i < 2; i++) {
			SteadyLoad.Result c = load(candidate, 0).run(half);
			SteadyLoad.Result b = load(baseline, 0).run(half);
			saturated = b.throughput();
			System.out.printf(Locale.ROOT, "[overhead] warm-up %d: %s %.0f commands/s, %s %.0f commands/s%n", i + 1,
					CANDIDATE, c.throughput(), BASELINE, b.throughput());
		}
		return saturated;
	}

	private int rateOf(String variant, double saturated) {
		if (variant.equals(OverheadSettings.SATURATING)) {
			return 0;
		}
		return (this.settings.rate() > 0) ? this.settings.rate() : (int) Math.max(100, saturated / 4);
	}

	private static String label(String variant, int rate) {
		return (rate > 0) ? variant + ", " + rate + " commands/s" : variant;
	}

	private List<RoundPair> rounds(String variant, int rate, RunningClient candidate, RunningClient baseline)
			throws InterruptedException {
		List<RoundPair> rounds = new ArrayList<>();
		for (int round = 1; round <= this.settings.rounds(); round++) {
			boolean candidateFirst = round % 2 == 1;
			SteadyLoad.Result first = load(candidateFirst ? candidate : baseline, rate).run(this.settings.round());
			SteadyLoad.Result second = load(candidateFirst ? baseline : candidate, rate).run(this.settings.round());
			RoundPair pair = candidateFirst ? new RoundPair(first, second) : new RoundPair(second, first);
			rounds.add(pair);
			System.out.printf(Locale.ROOT,
					"[overhead] %s round %d: throughput %.3f, p50 %.3f, p99 %.3f (%s/%s; %.0f vs %.0f commands/s)%n",
					label(variant, rate), round, pair.throughputRatio(), pair.percentileRatio(50),
					pair.percentileRatio(99), CANDIDATE, BASELINE, pair.candidate().throughput(),
					pair.baseline().throughput());
		}
		return rounds;
	}

	private SteadyLoad load(RunningClient client, int rate) {
		return new SteadyLoad(client.kind().label(), client.operations(), this.settings.threads(), rate);
	}

	/** One round: the same load on each client, one after the other. */
	record RoundPair(SteadyLoad.Result candidate, SteadyLoad.Result baseline) {

		double throughputRatio() {
			return this.candidate.throughput() / this.baseline.throughput();
		}

		double percentileRatio(double percentile) {
			return this.candidate.percentileMillis(percentile) / this.baseline.percentileMillis(percentile);
		}

	}

}
