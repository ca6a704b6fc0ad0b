package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisresilience.benchmarks.ClientKind.RunningClient;
import io.github.redisresilience.benchmarks.Scenario.Disruption;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.workload.Workload;

/**
 * Runs every scenario against one local cluster with one client of each kind at the same time,
 * each with its own fixed-pace workload and ledger, and prints and writes the results.
 * <p>
 * Run it through the {@code benchmarks} Maven profile (see the module's README): the JVM needs
 * {@code -Djdk.net.hosts.file} and {@code -Dsun.net.inetaddr.ttl=0} from its start.
 */
public final class ResilienceBenchmark {

	private static final Logger logger = LoggerFactory.getLogger(ResilienceBenchmark.class);

	/** Steady state shown on the timeline before the disruption. */
	private static final Duration BASELINE = Duration.ofSeconds(3);

	/** Steady state shown on the timeline after the last client recovered. */
	private static final Duration TAIL = Duration.ofSeconds(3);

	private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);

	private final Settings settings;

	private final Clusters clusters;

	private final LedgerCheck ledgerCheck = new LedgerCheck();

	/** The starter's ledger must be exact in every run: what was not, by run. */
	private final List<String> starterLedgerProblems = new ArrayList<>();

	private final Report report;

	private ResilienceBenchmark(Settings settings, Clusters clusters) {
		this.settings = settings;
		this.clusters = clusters;
		this.report = new Report(settings);
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystemProperties();
		ensureHostsFile();
		System.out.println("[bench] " + settings);
		try (Clusters clusters = new Clusters()) {
			new ResilienceBenchmark(settings, clusters).run();
		}
		catch (IllegalStateException ex) {
			System.out.println("[bench] FAILED: " + ex.getMessage());
			// Stuck client threads must not keep the JVM alive, and the build must see the failure.
			System.exit(1);
		}
		// Stuck client threads (a client that never recovered) must not keep the JVM alive.
		System.exit(0);
	}

	/**
	 * Runs one scenario a number of times with the given clients, side by side as the suite does,
	 * and returns every client's results, writing no report: for suites that report a measure of
	 * their own. Workload and recovery limit are the suite's ({@code bench.threads},
	 * {@code bench.rate}, {@code bench.recovery-limit}).
	 * @param scenario the scenario
	 * @param clients the clients, started together for every repetition
	 * @param repetitions how often
	 * @param progress called with every result so far after each repetition
	 * @return the results, in repetition order
	 */
	static List<RunResult> repeat(Scenario scenario, List<ClientKind> clients, int repetitions,
			Consumer<List<RunResult>> progress) throws Exception {
		Settings defaults = Settings.fromSystemProperties();
		Settings settings = new Settings(List.of(scenario), clients, repetitions, false, defaults.threads(),
				defaults.rate(), defaults.recoveryLimit(), defaults.output());
		List<RunResult> results = new ArrayList<>();
		int repetition = 1;
		// A cluster that does not heal within the kit's limit (a loaded machine) ends its attempt, not
		// the series: a fresh cluster is started for the next one, bounded at twice the runs asked for.
		for (int attempt = 1; attempt <= 2 * repetitions && repetition <= repetitions; attempt++) {
			try (Clusters clusters = new Clusters()) {
				ResilienceBenchmark benchmark = new ResilienceBenchmark(settings, clusters);
				try {
					for (; repetition <= repetitions; repetition++, attempt++) {
						List<RunResult> run = benchmark.runOnce(scenario, repetition);
						run.forEach((result) -> System.out.println(Report.line(result)));
						results.addAll(run);
						progress.accept(List.copyOf(results));
					}
				}
				catch (IllegalStateException ex) {
					System.out.println("[bench] " + scenario + ", repetition " + repetition
							+ " abandoned, the cluster did not heal: " + abbreviate(ex.getMessage()));
				}
				finally {
					benchmark.ledgerCheck.close();
				}
			}
		}
		return results;
	}

	/** The JDK fails every lookup, localhost included, while the file the property names is missing. */
	private static void ensureHostsFile() throws IOException {
		String property = System.getProperty("jdk.net.hosts.file");
		if (property == null || property.isBlank()) {
			throw new IllegalStateException("Run with -Djdk.net.hosts.file=<file> -Dsun.net.inetaddr.ttl=0 "
					+ "(the benchmarks Maven profile does): the cluster's names resolve only through that file");
		}
		Path file = Path.of(property);
		if (!Files.exists(file)) {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, "127.0.0.1 localhost\n", StandardCharsets.UTF_8);
		}
	}

	private void run() throws Exception {
		List<Scenario> scenarios = new ArrayList<>();
		for (Scenario scenario : this.settings.scenarios()) {
			scenario.unsupportedReason()
				.ifPresentOrElse((reason) -> System.out.println("[bench] skipping " + scenario + ": " + reason),
						() -> scenarios.add(scenario));
		}
		int maxRepetitions = scenarios.stream().mapToInt(this.settings::repetitions).max().orElse(0);
		long runs = scenarios.stream().mapToInt(this.settings::repetitions).sum();
		Duration estimate = scenarios.stream()
			.map((scenario) -> estimate(scenario).multipliedBy(this.settings.repetitions(scenario)))
			.reduce(Duration.ZERO, Duration::plus);
		System.out.printf("[bench] %d run(s) of %d scenario(s); estimated duration %d min (about %d s a run on 2 "
				+ "loaded cores; cut it with -Dbench.scenarios or -Dbench.quick)%n", runs, scenarios.size(),
				estimate.toMinutes() + 1, (runs > 0) ? estimate.dividedBy(runs).toSeconds() : 0);
		List<RunResult> results = new ArrayList<>();
		Instant begun = Instant.now();
		long done = 0;
		try {
			// Repetitions go round every scenario in turn: a run cut short still covers each one.
			for (int repetition = 1; repetition <= maxRepetitions; repetition++) {
				for (Scenario scenario : scenarios) {
					if (repetition > this.settings.repetitions(scenario)) {
						continue;
					}
					List<RunResult> run = runOnce(scenario, repetition);
					run.forEach((result) -> System.out.println(Report.line(result)));
					results.addAll(run);
					this.report.write(results);
					done++;
					Duration elapsed = Duration.between(begun, Instant.now());
					System.out.printf("[bench] %d of %d runs done in %d min; about %d min to go%n", done, runs,
							elapsed.toMinutes(), elapsed.dividedBy(done).multipliedBy(runs - done).toMinutes());
				}
			}
		}
		finally {
			this.ledgerCheck.close();
		}
		System.out.println();
		System.out.print(this.report.table(results));
		System.out.println("[bench] results in " + this.settings.output().toAbsolutePath());
		if (!this.starterLedgerProblems.isEmpty()) {
			throw new IllegalStateException("The starter's ledger was not exact (0 acknowledged writes or INCR lost, "
					+ "0 INCR applied twice, and with exactly-once 0 INCR failed): " + this.starterLedgerProblems);
		}
		System.out.println("[bench] the starter's ledger was exact in every run: 0 acknowledged writes or INCR lost, "
				+ "0 INCR applied twice, and with exactly-once 0 INCR failed");
	}

	/**
	 * What one run takes, from quick runs on 2 cores shared with other builds: client start-up and
	 * warm-up, 3 s before and after, the disruption, and the wait for the slowest client (the
	 * recovery limit where a stock client never recovers).
	 */
	private Duration estimate(Scenario scenario) {
		Duration limit = this.settings.recoveryLimit();
		Duration overhead = Duration.ofSeconds(12);
		return switch (scenario) {
			case ROLLING_MOVE -> overhead.plusSeconds(25).plus(limit);
			case MASTER_FROZEN_PAST_FAILOVER -> overhead.plusSeconds(10).plus(limit).plus(limit);
			case ALL_PODS_MOVE_BLACK_HOLE -> overhead.plusSeconds(10).plus(limit);
			default -> overhead.plusSeconds(5).plus(limit);
		};
	}

	private List<RunResult> runOnce(Scenario scenario, int repetition) throws Exception {
		System.out.printf("[bench] %s, repetition %d: %s%n", scenario, repetition, scenario.description());
		LocalRedisCluster cluster = this.clusters.of(scenario.shape());
		// Every run starts from an empty cluster: the keys of the runs before would make each heal
		// slower than the last (a restarted node loads them all, its replicas copy them all).
		cluster.flushAll();
		String seeds = scenario.shape().seeds(cluster);
		Map<ClientKind, RunningClient> clients = new LinkedHashMap<>();
		Map<ClientKind, String> startErrors = new LinkedHashMap<>();
		for (ClientKind kind : this.settings.clients()) {
			try {
				clients.put(kind, kind.start(seeds));
			}
			catch (RuntimeException ex) {
				logger.warn("{} could not start", kind, ex);
				startErrors.put(kind, ex.getClass().getSimpleName() + ": " + ex.getMessage());
			}
		}
		Map<ClientKind, Workload> workloads = new LinkedHashMap<>();
		clients.forEach((kind, client) -> workloads.put(kind, startWorkload(kind, client)));
		try {
			Instant warm = Instant.now();
			awaitRecovery(workloads.values(), warm, warm.plus(WARM_UP_LIMIT));
			Thread.sleep(BASELINE.toMillis());
			Disruption disruption = scenario.run(cluster,
					(from) -> awaitRecovery(workloads.values(), from, from.plus(this.settings.recoveryLimit())));
			Instant disrupted = disruption.report().started();
			Instant healed = disruption.report().healed();
			awaitRecovery(workloads.values(), healed, healed.plus(this.settings.recoveryLimit()));
			Thread.sleep(TAIL.toMillis());
			Instant end = Instant.now();
			List<RunResult> results = new ArrayList<>();
			for (Workload workload : workloads.values()) {
				workload.stop(Duration.ofSeconds(1));
			}
			Map<ClientKind, List<Duration>> unfinished = new LinkedHashMap<>();
			workloads.forEach((kind, workload) -> unfinished.put(kind, workload.unfinished()));
			for (ClientKind kind : this.settings.clients()) {
				Workload workload = workloads.get(kind);
				if (workload == null) {
					results.add(RunResult.notStarted(scenario, repetition, kind, startErrors.get(kind),
							disruption.report().unhealthyFor(), disruption.healLabel(),
							offset(disrupted, disruption.promoted()), offset(disrupted, disruption.resumed())));
					continue;
				}
				// The headless Service name in every shape: the check's own client must know the healed topology.
				LedgerCheck.Verdict verdict = this.ledgerCheck.check(cluster.seedNodes(), workload.acknowledgedWrites(),
						workload.increments());
				List<String> problems = new ArrayList<>(kind.isStarter() ? verdict.problems() : List.of());
				if (kind == ClientKind.STARTER_EXACTLY_ONCE && verdict.increments().unknown() > 0) {
					problems.add(verdict.increments().unknown() + " INCR failed with exactly-once on");
				}
				if (!problems.isEmpty()) {
					this.starterLedgerProblems.add(kind + ", " + scenario + " #" + repetition + ": " + problems);
				}
				results.add(measure(scenario, repetition, kind, workload, unfinished.get(kind), verdict,
						disruption, end));
			}
			disruption.cleanup().run();
			return results;
		}
		finally {
			for (Workload workload : workloads.values()) {
				workload.stop(Duration.ZERO);
			}
			close(clients.values());
		}
	}

	/** A workload through one client, its keys and threads named after the client's label. */
	private Workload startWorkload(ClientKind kind, RunningClient client) {
		String keys = "bench:" + kind.label() + ":";
		return Workload.builder(client.operations())
			.threads(this.settings.threads())
			.pace(this.settings.pace())
			.name("workload-" + kind.label())
			.keyPrefixes(keys, keys + "counter:")
			.start();
	}

	private RunResult measure(Scenario scenario, int repetition, ClientKind kind, Workload workload,
			List<Duration> unfinished, LedgerCheck.Verdict verdict, Disruption disruption,
			Instant end) {
		Instant disrupted = disruption.report().started();
		Instant healed = disruption.report().healed();
		List<Workload.Outcome> outcomes = workload.outcomes();
		List<Workload.Outcome> during = outcomes.stream()
			.filter((outcome) -> !outcome.completed().isBefore(disrupted))
			.toList();
		// An operation still running at the end has been stuck past the recovery limit: a failure to its caller.
		long failed = during.stream().filter((outcome) -> !outcome.succeeded()).count() + unfinished.size();
		List<String> errors = new ArrayList<>(during.stream()
			.filter((outcome) -> !outcome.succeeded())
			.map((outcome) -> abbreviate(outcome.error()))
			.distinct()
			.limit(3)
			.toList());
		if (!unfinished.isEmpty()) {
			errors.add(unfinished.size() + " operation(s) still running at the end");
		}
		Duration recovery = recoveryAfter(workload, healed);
		Duration recoveryFromPromotion = (disruption.promoted() != null) ? recoveryAfter(workload, disruption.promoted())
				: null;
		List<Duration> took = Stream.concat(during.stream().map(Workload.Outcome::took), unfinished.stream())
			.sorted(Comparator.naturalOrder())
			.toList();
		// The longest operation of the disruption: completed from it on, or still running at the end.
		Duration longestDuring = took.isEmpty() ? Duration.ZERO : took.get(took.size() - 1);
		boolean stuckLongest = !unfinished.isEmpty() && unfinished.contains(longestDuring);
		Duration p99 = took.isEmpty() ? Duration.ZERO : took.get((int) Math.min(took.size() - 1, Math.ceil(took.size() * 0.99) - 1));
		long bucketMillis = RunResult.BUCKET.toMillis();
		int firstBucket = (int) -(BASELINE.toMillis() / bucketMillis);
		// Whole buckets only: a last, partial one would look like a drop.
		int buckets = (int) (Duration.between(disrupted, end).toMillis() / bucketMillis) - firstBucket;
		int[] ok = new int[buckets];
		int[] failedPerBucket = new int[buckets];
		for (Workload.Outcome outcome : outcomes) {
			int bucket = (int) Math.floorDiv(Duration.between(disrupted, outcome.completed()).toMillis(), bucketMillis)
					- firstBucket;
			if (bucket >= 0 && bucket < buckets) {
				if (outcome.succeeded()) {
					ok[bucket]++;
				}
				else {
					failedPerBucket[bucket]++;
				}
			}
		}
		return new RunResult(scenario, repetition, kind, null, during.size() + unfinished.size(), failed,
				verdict.acknowledged(), verdict.lost(), verdict.unreadable(), verdict.increments(), recovery,
				recoveryFromPromotion, longestDuring, stuckLongest, p99, errors,
				disruption.report().unhealthyFor(), disruption.healLabel(), offset(disrupted, disruption.promoted()),
				offset(disrupted, disruption.resumed()), firstBucket, ok, failedPerBucket);
	}

	/** From an instant to the workload's first fully successful second, if within the recovery limit. */
	private @Nullable Duration recoveryAfter(Workload workload, Instant from) {
		return workload.firstFullySuccessfulSecondAfter(from)
			.map((at) -> Duration.between(from, at))
			.filter((took) -> took.compareTo(this.settings.recoveryLimit()) <= 0)
			.orElse(null);
	}

	private static @Nullable Duration offset(Instant disrupted, @Nullable Instant instant) {
		return (instant != null) ? Duration.between(disrupted, instant) : null;
	}

	private static String abbreviate(@Nullable String error) {
		String text = String.valueOf(error).replaceAll("\\s+", " ");
		return (text.length() > 140) ? text.substring(0, 140) + "..." : text;
	}

	/** Waits until every workload had a fully successful second after {@code from}, or the deadline. */
	private static void awaitRecovery(Collection<Workload> workloads, Instant from, Instant deadline) {
		while (Instant.now().isBefore(deadline)) {
			if (workloads.stream().allMatch((workload) -> workload.firstFullySuccessfulSecondAfter(from).isPresent())) {
				return;
			}
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Closes the clients side by side; one stuck in shutdown is left behind after a while. */
	private static void close(Collection<RunningClient> clients) {
		List<CompletableFuture<Void>> closing = clients.stream().map((client) -> CompletableFuture.runAsync(() -> {
			try {
				client.closer().close();
			}
			catch (Exception ex) {
				logger.warn("{} did not close cleanly", client.kind(), ex);
			}
		})).toList();
		try {
			CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			logger.warn("Clients still closing after 30 s; going on", ex);
		}
	}

}
