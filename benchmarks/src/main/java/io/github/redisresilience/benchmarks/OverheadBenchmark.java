package io.github.redisresilience.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.redisresilience.benchmarks.ClientKind.RunningClient;
import io.github.redisresilience.test.LocalRedisCluster;
import org.jspecify.annotations.Nullable;

/**
 * The starter against stock Spring Boot on a healthy cluster: steady-state throughput and latency
 * in alternating rounds, and cold context starts, interleaved the same way.
 * <p>
 * Both clients run in one JVM on the same cluster, seeds and transport and stay started through
 * a session. Saturated, only one of them carries load at a time and the order flips every round
 * (ABBA, the first client alternating with the session), so a drift in the machine's load (other
 * processes, JIT, the cluster's memory) falls on both alike, and the comparison is the ratio within
 * each round, not of totals. Each variant's first round in a session is not counted: right after
 * the warm-up, it is the session's slowest for whichever client goes first. At a fixed rate
 * both run at once, so that the machine's short stalls, which decide a tail latency, fall on both
 * alike too ({@link #measureTogether}).
 * <p>
 * Rounds in one JVM share what that JVM happened to compile and where its threads landed, and
 * that differs from JVM to JVM by more than rounds differ within one: three runs of 60, 20 and 8
 * rounds on the same quiet machine gave throughput ratios of 0.966 ± 0.011, 1.024 ± 0.019 and
 * 0.998. With {@code bench.overhead.sessions} above one, the rounds are therefore spread over that
 * many sessions, each a JVM of its own ({@link OverheadSession}) with both clients started afresh
 * (which one first alternates), and the confidence interval is taken over the sessions' mean
 * ratios.
 * <p>
 * Each client's saturated turn in a round also counts the CPU both sides spent in its measured window: the
 * JVM's process CPU time and every redis-server's {@code INFO cpu}, read just before the window
 * opens and right after it closes (never in the load's hot path), each divided by the commands
 * completed. The clients share the JVM but carry load one after the other, so the JVM's CPU in one
 * client's window is that client's, with the idle other's background work (the starter's topology
 * read every 10 s) charged to whichever runs: both run equally often.
 */
final class OverheadBenchmark {

	static final ClientKind CANDIDATE = ClientKind.STARTER;

	static final ClientKind BASELINE = ClientKind.STOCK_BOOT;

	/** Discarded cold starts of each kind: the first JVMs also warm the operating system's file cache. */
	private static final int WARM_UP_STARTS = 1;

	/** A session's rounds on one line each, for the parent: variant, session, candidate, baseline. */
	static final String ROUND_LINE = "overhead-round\t";

	/** The fixed rate the first session chose, for the parent to hand to the others. */
	static final String RATE_LINE = "overhead-rate\t";

	/** Bounds one session's JVM: warm-ups, rounds and starts of a few seconds each. */
	private static final Duration SESSION_SLACK = Duration.ofMinutes(3);

	private final OverheadSettings settings;

	private final String seeds;

	/** Every node of the cluster, whose CPU each round reads. */
	private final OverheadServerCpu serverCpu;

	/** Whether this JVM runs a session for a parent, which reads its rounds from the output. */
	private final boolean forParent;

	OverheadBenchmark(OverheadSettings settings, String seeds, OverheadServerCpu serverCpu, boolean forParent) {
		this.settings = settings;
		this.seeds = seeds;
		this.serverCpu = serverCpu;
		this.forParent = forParent;
	}

	static void run(OverheadSettings settings) throws Exception {
		System.out.println("[overhead] " + settings);
		// Spring reads system properties below the command line the clients are started with.
		settings.starterProperties().forEach(System::setProperty);
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().start()) {
			System.out.println("[overhead] cluster " + cluster.name() + " on redis-server " + cluster.binary().version()
					+ ", seeds " + cluster.seedNodes());
			OverheadBenchmark benchmark = new OverheadBenchmark(settings, cluster.seedNodes(),
					OverheadServerCpu.of(cluster.pods()), false);
			Map<ClientKind, List<StartupTimer.Sample>> starts = benchmark.timeStarts();
			Rounds rounds = (settings.sessions() > 1) ? benchmark.sessions() : benchmark.session(0, settings.rate());
			OverheadReport report = new OverheadReport(settings, CANDIDATE, BASELINE, rounds.variants(),
					rounds.exactlyOnce(), starts, cluster.binary().version().toString());
			String markdown = report.markdown();
			System.out.println();
			System.out.print(markdown);
			Path file = OverheadReport.write(settings.results().resolve("overhead.md"), markdown);
			System.out.println("[overhead] written to " + file.toAbsolutePath());
		}
		finally {
			settings.starterProperties().keySet().forEach(System::clearProperty);
		}
	}

	/**
	 * One session in this JVM: both clients started (which one first alternates with the session),
	 * warmed up, and every variant's share of the rounds.
	 * @param session the session's number, from 0
	 * @param fixedRate the fixed-rate variant's rate, 0 to take a quarter of stock Boot's warm-up
	 * @return the rounds, by variant
	 */
	Rounds session(int session, int fixedRate) throws Exception {
		int rounds = this.settings.roundsPerSession();
		Map<String, List<RoundPair>> variants = new LinkedHashMap<>();
		List<RoundPair> exactlyOnce = List.of();
		List<String> againstBaseline = this.settings.variants()
			.stream()
			.filter((variant) -> !variant.equals(OverheadSettings.EXACTLY_ONCE_INCR))
			.toList();
		List<ClientKind> order = againstBaseline.isEmpty() ? List.of(CANDIDATE)
				: (session % 2 == 0) ? List.of(CANDIDATE, BASELINE) : List.of(BASELINE, CANDIDATE);
		Map<ClientKind, RunningClient> clients = new LinkedHashMap<>();
		try {
			for (ClientKind kind : order) {
				clients.put(kind, kind.start(this.seeds));
			}
			RunningClient candidate = clients.get(CANDIDATE);
			if (!againstBaseline.isEmpty()) {
				RunningClient baseline = clients.get(BASELINE);
				double saturated = warmUp(candidate, baseline, SteadyLoad.Step.WRITE_READ);
				for (String variant : againstBaseline) {
					int rate = rateOf(variant, fixedRate, saturated);
					if (rate > 0 && this.forParent) {
						System.out.println(RATE_LINE + rate);
					}
					String label = label(variant, rate);
					variants.put(label,
							rounds(label, session, rounds, rate, candidate, baseline, SteadyLoad.Step.WRITE_READ));
				}
			}
			RunningClient baseline = clients.remove(BASELINE);
			if (baseline != null) {
				baseline.closer().close();
			}
			if (this.settings.variants().contains(OverheadSettings.EXACTLY_ONCE_INCR)) {
				exactlyOnce = exactlyOnceRounds(session, rounds, candidate);
			}
		}
		finally {
			for (RunningClient client : clients.values()) {
				client.closer().close();
			}
		}
		return new Rounds(variants, exactlyOnce);
	}

	/** Every session in a JVM of its own, one after the other; their rounds together. */
	private Rounds sessions() throws Exception {
		Map<String, List<RoundPair>> variants = new LinkedHashMap<>();
		List<RoundPair> exactlyOnce = new ArrayList<>();
		int rate = this.settings.rate();
		Path log = Path.of(System.getProperty("bench.output", "target/benchmark-results"), "overhead-sessions.log");
		Files.createDirectories(log.toAbsolutePath().getParent());
		// Every round as the sessions measured it, beside the report: the raw data it was computed from.
		Path raw = this.settings.results().resolve("overhead-rounds.tsv");
		Files.createDirectories(raw.toAbsolutePath().getParent());
		Files.writeString(raw, "# variant\tsession\tcandidate\tbaseline (" + CANDIDATE + " / " + BASELINE + "; "
				+ OverheadSettings.EXACTLY_ONCE_INCR + ": " + ClientKind.STARTER_EXACTLY_ONCE + " / " + ClientKind.STARTER
				+ "), each: commands/s, p50, p99, p99.9 (ms), errors, client JVM CPU and server CPU per command (µs) "
				+ "¦ error samples\n", StandardCharsets.UTF_8);
		// Exactly-once rounds leave a token key per INCR behind for its TTL, and the cluster expiring a
		// million of them slowed the next session's first rounds: they run last, in sessions of their own.
		List<String> againstBaseline = this.settings.variants()
			.stream()
			.filter((variant) -> !variant.equals(OverheadSettings.EXACTLY_ONCE_INCR))
			.toList();
		List<List<String>> passes = new ArrayList<>();
		if (!againstBaseline.isEmpty()) {
			passes.add(againstBaseline);
		}
		if (this.settings.variants().contains(OverheadSettings.EXACTLY_ONCE_INCR)) {
			passes.add(List.of(OverheadSettings.EXACTLY_ONCE_INCR));
		}
		for (List<String> pass : passes) {
			rate = sessionsOf(pass, rate, log, raw, variants, exactlyOnce);
		}
		return new Rounds(variants, exactlyOnce);
	}

	/** Every session of one pass over some of the variants; returns the fixed rate chosen. */
	private int sessionsOf(List<String> pass, int fixedRate, Path log, Path raw, Map<String, List<RoundPair>> variants,
			List<RoundPair> exactlyOnce) throws Exception {
		int rate = fixedRate;
		for (int session = 0; session < this.settings.sessions(); session++) {
			System.out.printf(Locale.ROOT, "[overhead] %s: session %d of %d, in a JVM of its own%n", pass, session + 1,
					this.settings.sessions());
			List<String> lines = runSessionJvm(pass, session, rate, log);
			for (String line : lines) {
				if (line.startsWith(RATE_LINE)) {
					rate = Integer.parseInt(line.substring(RATE_LINE.length()).strip());
				}
				else if (line.startsWith(ROUND_LINE)) {
					Files.writeString(raw, line.substring(ROUND_LINE.length()) + "\n", StandardCharsets.UTF_8,
							StandardOpenOption.APPEND);
					String[] fields = line.substring(ROUND_LINE.length()).split("\t");
					RoundPair pair = new RoundPair(RoundMeasure.decode(fields[2]), RoundMeasure.decode(fields[3]),
							Integer.parseInt(fields[1]));
					if (fields[0].equals(OverheadSettings.EXACTLY_ONCE_INCR)) {
						exactlyOnce.add(pair);
					}
					else {
						variants.computeIfAbsent(fields[0], (key) -> new ArrayList<>()).add(pair);
					}
				}
			}
		}
		return rate;
	}

	private List<String> runSessionJvm(List<String> variants, int session, int rate, Path log)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// The heap is fixed and touched at start: a heap that grows takes page faults on fresh memory, charged to
		// whichever client happens to allocate then (seen in a profile: four times as many on one side).
		command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
		System.getProperties().stringPropertyNames().stream().filter(OverheadBenchmark::isPassedOn)
			.filter((name) -> !name.equals("bench.overhead.variants")).sorted()
			.forEach((name) -> command.add("-D" + name + "=" + System.getProperty(name)));
		command.add("-Dbench.overhead.variants=" + String.join(",", variants));
		command.add("-Dlogback.configurationFile=logback-startup-probe.xml");
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), OverheadSession.class.getName(),
				this.seeds, Integer.toString(session), Integer.toString(rate), this.serverCpu.encode()));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		List<String> lines = Collections.synchronizedList(new ArrayList<>());
		// Read on a thread of its own, so that a session that hangs is ended by the limit below.
		Thread reader = new Thread(() -> readLines(process, lines), "overhead-session-" + session);
		reader.setDaemon(true);
		reader.start();
		try {
			long limit = sessionLimit().toSeconds();
			if (!process.waitFor(limit, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("Overhead session " + (session + 1) + " failed or ran past " + limit
						+ " s, see " + log.toAbsolutePath());
			}
			reader.join(TimeUnit.SECONDS.toMillis(10));
		}
		finally {
			process.destroyForcibly();
		}
		return List.copyOf(lines);
	}

	private static void readLines(Process process, List<String> lines) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (line.startsWith("[overhead]")) {
					System.out.println(line);
				}
				lines.add(line);
			}
		}
		catch (IOException ex) {
			// The process was ended: what it wrote so far is kept, and its exit status tells the rest.
		}
	}

	/** What a session's JVM needs: the kit's name resolution, the suite's settings, the starter's properties. */
	private static boolean isPassedOn(String name) {
		return name.startsWith("bench.") || name.startsWith("redis.resilience.")
				|| StartupTimer.INHERITED.contains(name);
	}

	private Duration sessionLimit() {
		int variants = this.settings.variants().size();
		// Saturated rounds take the clients in turns, fixed-rate ones together: twice a round is a bound.
		return this.settings.warmUp()
			.plus(this.settings.round().multipliedBy(2L * (this.settings.roundsPerSession() + 1)))
			.multipliedBy(variants)
			.plus(SESSION_SLACK);
	}

	private Map<ClientKind, List<StartupTimer.Sample>> timeStarts() throws Exception {
		StartupTimer timer = new StartupTimer(this.seeds, this.settings.starterProperties(),
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

	/**
	 * The starter with exactly-once INCR against the plain starter, both INCR saturating: what the
	 * token script costs per call.
	 */
	private List<RoundPair> exactlyOnceRounds(int session, int rounds, RunningClient plain) throws Exception {
		RunningClient exactlyOnce = ClientKind.STARTER_EXACTLY_ONCE.start(this.seeds);
		try {
			warmUp(exactlyOnce, plain, SteadyLoad.Step.INCREMENT);
			return rounds(OverheadSettings.EXACTLY_ONCE_INCR, session, rounds, 0, exactlyOnce, plain,
					SteadyLoad.Step.INCREMENT);
		}
		finally {
			exactlyOnce.closer().close();
		}
	}

	/** Runs both clients saturated, in turn, twice; returns what the baseline reached the second time. */
	private double warmUp(RunningClient candidate, RunningClient baseline, SteadyLoad.Step step)
			throws InterruptedException {
		Duration half = this.settings.warmUp().dividedBy(2);
		double saturated = 0;
		for (int i = 0; i < 2; i++) {
			SteadyLoad.Result c = load(candidate, 0, step).run(half);
			SteadyLoad.Result b = load(baseline, 0, step).run(half);
			saturated = b.throughput();
			System.out.printf(Locale.ROOT, "[overhead] warm-up %d (%s): %s %.0f commands/s, %s %.0f commands/s%n",
					i + 1, step, candidate.kind(), c.throughput(), baseline.kind(), b.throughput());
		}
		return saturated;
	}

	private static int rateOf(String variant, int fixedRate, double saturated) {
		if (!variant.equals(OverheadSettings.FIXED_RATE)) {
			return 0;
		}
		return (fixedRate > 0) ? fixedRate : (int) Math.max(100, saturated / 4);
	}

	private static String label(String variant, int rate) {
		return (rate > 0) ? variant + ", " + rate + " commands/s" : variant;
	}

	private List<RoundPair> rounds(String label, int session, int count, int rate, RunningClient candidate,
			RunningClient baseline, SteadyLoad.Step step) throws InterruptedException {
		if (rate > 0) {
			// The session warmed both clients up saturated: the first round at a fixed rate carried the
			// switch (the compiler and the collector adjusting to a paced load).
			RoundPair warmUp = measureTogether(candidate, baseline, rate, step, session);
			System.out.printf(Locale.ROOT, "[overhead] %s warm-up (not counted): %.0f and %.0f commands/s%n", label,
					warmUp.candidate().throughput(), warmUp.baseline().throughput());
		}
		else {
			// The first saturated window after the warm-up is the session's slowest (the compiler still
			// at work): a stock-Boot-against-itself run gave whichever side took it 0.957 x throughput
			// and 2.4 x p99.9 there, against 1.01 x in the windows after it. It is measured, not counted.
			RoundPair warmUp = measureInTurn(candidate, baseline, rate, step, session, candidateFirst(session, 0));
			System.out.printf(Locale.ROOT, "[overhead] %s warm-up round (not counted): %.0f and %.0f commands/s%n",
					label, warmUp.candidate().throughput(), warmUp.baseline().throughput());
		}
		List<RoundPair> rounds = new ArrayList<>();
		for (int round = 1; round <= count; round++) {
			RoundPair pair;
			if (rate > 0) {
				pair = measureTogether(candidate, baseline, rate, step, session);
			}
			else {
				pair = measureInTurn(candidate, baseline, rate, step, session, candidateFirst(session, round));
			}
			rounds.add(pair);
			if (this.forParent) {
				System.out.println(ROUND_LINE + label + "\t" + session + "\t" + pair.candidate().encode() + "\t"
						+ pair.baseline().encode());
			}
			RoundMeasure c = pair.candidate();
			RoundMeasure b = pair.baseline();
			System.out.printf(Locale.ROOT,
					"[overhead] %s round %d: throughput %.3f, p50 %.3f, p99 %.3f (%s/%s; %.0f vs %.0f commands/s); "
							+ "CPU per command: client %.1f vs %.1f µs, server %.1f vs %.1f µs; "
							+ "allocated per command %.0f vs %.0f bytes%n",
					label, round, pair.throughputRatio(), pair.percentileRatio(50), pair.percentileRatio(99),
					candidate.kind(), baseline.kind(), c.throughput(), b.throughput(), c.clientCpu(), b.clientCpu(),
					c.serverCpu(), b.serverCpu(), c.allocated(), b.allocated());
		}
		return rounds;
	}

	/**
	 * Which client a saturated round measures first: every other round, starting with the candidate
	 * in even sessions and with the baseline in odd ones, so that over two sessions each client
	 * goes first as often as the other whatever the number of rounds.
	 * @param session the session's number, from 0
	 * @param round the round's number in the session, from 1
	 * @return {@code true} if the candidate goes first
	 */
	static boolean candidateFirst(int session, int round) {
		return (session + round) % 2 == 1;
	}

	private RoundPair measureInTurn(RunningClient candidate, RunningClient baseline, int rate, SteadyLoad.Step step,
			int session, boolean candidateFirst) throws InterruptedException {
		RoundMeasure first = measure(candidateFirst ? candidate : baseline, rate, step);
		RoundMeasure second = measure(candidateFirst ? baseline : candidate, rate, step);
		return new RoundPair(candidateFirst ? first : second, candidateFirst ? second : first, session);
	}

	/**
	 * Both clients at the same fixed rate at the same time, each on threads of its own: a stall of
	 * the machine (this one pauses for 2-10 ms now and then) then delays both alike. Taken
	 * in turns, as saturated rounds are, a fixed-rate p99 was decided by how many stalls fell into
	 * each client's 5 s (ratios from 0.6 to 2.8 within a session). The JVM's and the servers' CPU
	 * cannot be told apart by client then, and are not measured.
	 */
	private RoundPair measureTogether(RunningClient candidate, RunningClient baseline, int rate, SteadyLoad.Step step,
			int session) throws InterruptedException {
		SteadyLoad candidateLoad = load(candidate, rate, step);
		AtomicReference<SteadyLoad.@Nullable Result> candidateResult = new AtomicReference<>();
		AtomicReference<@Nullable InterruptedException> interrupted = new AtomicReference<>();
		Thread candidateRun = new Thread(() -> {
			try {
				candidateResult.set(candidateLoad.run(this.settings.round()));
			}
			catch (InterruptedException ex) {
				interrupted.set(ex);
			}
		}, "overhead-" + candidate.kind());
		candidateRun.start();
		SteadyLoad.Result baselineResult = load(baseline, rate, step).run(this.settings.round());
		candidateRun.join(this.settings.round().toMillis() + 60_000);
		SteadyLoad.Result result = candidateResult.get();
		if (interrupted.get() != null || result == null) {
			throw new IllegalStateException("The " + candidate.kind() + " load did not finish", interrupted.get());
		}
		return new RoundPair(RoundMeasure.of(result, -1, Double.NaN, -1),
				RoundMeasure.of(baselineResult, -1, Double.NaN, -1), session);
	}

	/**
	 * One client's turn in a round, with the CPU both sides spent in it and the bytes the JVM
	 * allocated: read just before the load's window opens and right after it closes, so that
	 * neither reading is in the window's hot path (the servers' readings bracket the JVM's, so the
	 * JVM's share of reading them stays out). The workload's threads count their own allocations.
	 */
	private RoundMeasure measure(RunningClient client, int rate, SteadyLoad.Step step) throws InterruptedException {
		SteadyLoad load = load(client, rate, step);
		double serverBefore = this.serverCpu.seconds();
		Map<Long, Long> allocatedBefore = AllocationMeter.snapshot();
		long clientBefore = processCpuNanos();
		SteadyLoad.Result result = load.run(this.settings.round());
		long clientAfter = processCpuNanos();
		Map<Long, Long> allocatedAfter = AllocationMeter.snapshot();
		double serverAfter = this.serverCpu.seconds();
		long clientCpu = (clientBefore < 0 || clientAfter < 0) ? -1 : clientAfter - clientBefore;
		long allocated = (result.workerAllocatedBytes() < 0) ? -1
				: result.workerAllocatedBytes() + AllocationMeter.between(allocatedBefore, allocatedAfter);
		return RoundMeasure.of(result, clientCpu, serverAfter - serverBefore, allocated);
	}

	/** This JVM's CPU time so far, all its threads, nanoseconds; -1 where the JVM does not tell. */
	private static long processCpuNanos() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		return (os instanceof com.sun.management.OperatingSystemMXBean process) ? process.getProcessCpuTime() : -1;
	}

	private SteadyLoad load(RunningClient client, int rate, SteadyLoad.Step step) {
		return new SteadyLoad(client.kind().label(), client.operations(), this.settings.threads(), rate, step);
	}

	/**
	 * The rounds of one session or of all of them.
	 * @param variants the candidate against the baseline, by variant
	 * @param exactlyOnce the starter's exactly-once INCR against its plain INCR
	 */
	record Rounds(Map<String, List<RoundPair>> variants, List<RoundPair> exactlyOnce) {

	}

	/** One round: the same load on each client, in turns (saturated) or together (fixed rate), in a session. */
	record RoundPair(RoundMeasure candidate, RoundMeasure baseline, int session) {

		double throughputRatio() {
			return this.candidate.throughput() / this.baseline.throughput();
		}

		double clientCpuRatio() {
			return this.candidate.clientCpu() / this.baseline.clientCpu();
		}

		double serverCpuRatio() {
			return this.candidate.serverCpu() / this.baseline.serverCpu();
		}

		double allocatedRatio() {
			return this.candidate.allocated() / this.baseline.allocated();
		}

		double percentileRatio(double percentile) {
			return this.candidate.percentileMillis(percentile) / this.baseline.percentileMillis(percentile);
		}

	}

}
