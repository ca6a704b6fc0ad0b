package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.github.redisresilience.benchmarks.OverheadBenchmark.RoundPair;

/**
 * The overhead suite's Markdown: per variant, the per-round ratios with confidence intervals
 * against the goals; then the cold starts.
 */
final class OverheadReport {

	/**
	 * The goals: the starter costs at most 2 % of throughput, 3 % of median latency and 5 % of p99
	 * latency.
	 */
	private static final double THROUGHPUT_GOAL = 0.98;

	private static final double P50_GOAL = 1.03;

	private static final double P99_GOAL = 1.05;

	private final OverheadSettings settings;

	private final ClientKind candidate;

	private final ClientKind baseline;

	private final Map<String, List<RoundPair>> variants;

	private final List<RoundPair> exactlyOnce;

	private final Map<ClientKind, List<StartupTimer.Sample>> starts;

	private final String redisVersion;

	/**
	 * @param variants the candidate against the baseline, by variant
	 * @param exactlyOnce the starter's exactly-once INCR against its plain INCR, empty if not run
	 */
	OverheadReport(OverheadSettings settings, ClientKind candidate, ClientKind baseline,
			Map<String, List<RoundPair>> variants, List<RoundPair> exactlyOnce,
			Map<ClientKind, List<StartupTimer.Sample>> starts, String redisVersion) {
		this.settings = settings;
		this.candidate = candidate;
		this.baseline = baseline;
		this.variants = variants;
		this.exactlyOnce = exactlyOnce;
		this.starts = starts;
		this.redisVersion = redisVersion;
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Overhead: ").append(this.candidate).append(" vs ").append(this.baseline).append("\n\n");
		md.append(String.format(Locale.ROOT,
				"Measured %s on %d cores, load average %.1f (Java %s, redis-server %s, local kit cluster 3 masters x 1 replica). "
						+ "Settings: %s.%n%n",
				ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
				Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"), this.redisVersion,
				this.settings));
		md.append("Ratios are ").append(this.candidate).append(" / ").append(this.baseline)
			.append(" within each round (saturated, the two clients run one after the other, order flipped every ")
			.append("round and the first client alternating with the session; at a fixed rate, at the same time; ")
			.append("each variant's first round in a session is measured but not counted), ")
			.append((this.settings.sessions() > 1)
					? "as the mean over the sessions' mean ratios ± the half-width of its 95 % confidence interval "
							+ "(Student's t; each session a JVM of its own with both clients started afresh: rounds "
							+ "in one JVM share its compiled code and thread placement, so sessions, not rounds, "
							+ "are the independent samples). "
					: "as the mean over the rounds ± the half-width of its 95 % confidence interval (Student's t). ")
			.append("A goal is *met* when the whole interval is on its side. A command is one SET or one GET of ")
			.append("an existing key; latency is per command.\n\n");
		md.append("CPU per command, without a goal, says where a difference in throughput or latency goes: each ")
			.append("client's measured window alone (not the warm-up), divided by the commands it completed in it. ")
			.append("*Client CPU* is the process CPU time of the JVM running the round: workload threads, the ")
			.append("client's event loops, GC and JIT compilation. Both clients live in that JVM, but one carries load ")
			.append("while the other idles, so the window's CPU is the loaded one's; the idle one's background work ")
			.append("(the starter's topology read every 10 s) falls on whichever runs, as often on one as on the ")
			.append("other. *Server CPU* is `used_cpu_user + used_cpu_sys` (`INFO cpu`) summed over every redis-server ")
			.append("of the cluster, masters and replicas, read just before the window opens and right after it ")
			.append("closes; it includes the servers' own background (cron, cluster bus), the same for both clients ")
			.append("and a larger share per command at a fixed rate. How to read them: the same CPU per command on ")
			.append("both sides with lower throughput means waiting, not work (commands spend longer between the ")
			.append("application and the socket, fewer are in flight); more client CPU per command is work in the ")
			.append("client; more server CPU per command means the commands reach Redis in smaller batches (more ")
			.append("socket reads and writes, each carrying fewer commands). *Allocated per command* is the bytes ")
			.append("the JVM's threads allocated in the window (HotSpot's exact per-thread count: the workload's ")
			.append("threads, both clients' event loops and timers), divided by the commands completed: garbage the ")
			.append("collector must clear, work that a CPU profile of the application's threads does not show.\n\n");
		this.variants.forEach((variant, rounds) -> {
			boolean saturating = variant.startsWith(OverheadSettings.SATURATING);
			md.append("## Steady state, ").append(variant).append("\n\n");
			md.append(saturating ? "Each thread sends its next command as soon as the last one returned.\n\n"
					: "Each thread follows a schedule; latency counts from when a command was due, so a stall is "
							+ "charged for every command it delayed. Both clients run at this rate at the same time, each "
							+ "on threads of its own, so that a stall of the machine delays both alike (taken in turns, "
							+ "a fixed-rate p99 was decided by how many stalls fell into each client's turn); their CPU "
							+ "cannot be told apart then and is not measured. Each session runs them once, unmeasured, "
							+ "before its rounds: its warm-up was saturated.\n\n");
			steadyState(md, rounds, this.candidate, this.baseline, true, saturating);
		});
		if (!this.exactlyOnce.isEmpty()) {
			md.append("## Exactly-once INCR against plain INCR, saturating\n\n");
			md.append("Both clients are the starter; ").append(ClientKind.STARTER_EXACTLY_ONCE)
				.append(" runs with `redis.resilience.retry.exactly-once=INCR`. A command is one INCR of a counter of ")
				.append("the thread's own, whose every answer must be one more than the last: the cost of the token ")
				.append("script against the plain command, a price to know rather than a goal.\n\n");
			steadyState(md, this.exactlyOnce, ClientKind.STARTER_EXACTLY_ONCE, ClientKind.STARTER, false, true);
		}
		startUp(md);
		return md.toString();
	}

	private void steadyState(StringBuilder md, List<RoundPair> rounds, ClientKind candidate, ClientKind baseline,
			boolean goals, boolean saturating) {
		md.append("| measure | goal | ").append(candidate).append(" / ").append(baseline)
			.append(" | verdict | ").append(candidate).append(", median of rounds | ").append(baseline)
			.append(", median of rounds |\n");
		md.append("|---|---|---|---|---|---|\n");
		RatioInterval throughput = interval(rounds, RoundPair::throughputRatio);
		boolean throughputGoal = goals && saturating;
		md.append(row("throughput, commands/s", throughputGoal ? "≥ " + THROUGHPUT_GOAL : saturating ? "" : "(fixed)",
				throughput, throughputGoal ? throughput.verdict(THROUGHPUT_GOAL, true) : saturating ? "" : "-", rounds,
				RoundMeasure::throughput, "%.0f"));
		for (double percentile : new double[] { 50, 99, 99.9 }) {
			RatioInterval ratio = interval(rounds, (r) -> r.percentileRatio(percentile));
			double goal = !goals ? Double.NaN : (percentile == 50) ? P50_GOAL : (percentile == 99) ? P99_GOAL : Double.NaN;
			boolean hasGoal = !Double.isNaN(goal);
			md.append(row(String.format(Locale.ROOT, "p%s latency, µs", trim(percentile)), hasGoal ? "≤ " + goal : "",
					ratio, hasGoal ? ratio.verdict(goal, false) : "", rounds,
					(result) -> result.percentileMillis(percentile) * 1000, "%.0f"));
		}
		// Informational, like p99.9: where the throughput and latency went, not a goal; not measured when
		// both clients run at once (fixed rate), since they share the JVM and the servers.
		if (rounds.stream().noneMatch((r) -> Double.isNaN(r.candidate().clientCpu()))) {
			RatioInterval clientCpu = interval(rounds, RoundPair::clientCpuRatio);
			md.append(row("client CPU per command, µs", "", clientCpu, "", rounds, RoundMeasure::clientCpu, "%.1f"));
		}
		if (rounds.stream().noneMatch((r) -> Double.isNaN(r.candidate().serverCpu()))) {
			RatioInterval serverCpu = interval(rounds, RoundPair::serverCpuRatio);
			md.append(row("server CPU per command, µs", "", serverCpu, "", rounds, RoundMeasure::serverCpu, "%.1f"));
		}
		if (rounds.stream().noneMatch((r) -> Double.isNaN(r.candidate().allocated()))) {
			RatioInterval allocated = interval(rounds, RoundPair::allocatedRatio);
			md.append(row("allocated per command, bytes", "", allocated, "", rounds, RoundMeasure::allocated, "%.0f"));
		}
		long candidateErrors = rounds.stream().mapToLong((r) -> r.candidate().errors()).sum();
		long baselineErrors = rounds.stream().mapToLong((r) -> r.baseline().errors()).sum();
		md.append(String.format(Locale.ROOT, "| failed or wrong answers (all rounds) | 0 | | | %d | %d |%n%n",
				candidateErrors, baselineErrors));
		errors(md, candidate, rounds.stream().map(RoundPair::candidate).toList());
		errors(md, baseline, rounds.stream().map(RoundPair::baseline).toList());
		if (this.settings.sessions() > 1) {
			md.append("By session (the mean ratio of its rounds):");
			if (saturating) {
				bySession(md, "throughput", rounds, RoundPair::throughputRatio);
			}
			bySession(md, "p50", rounds, (r) -> r.percentileRatio(50));
			bySession(md, "p99", rounds, (r) -> r.percentileRatio(99));
			md.append("\n\n");
		}
	}

	private static void bySession(StringBuilder md, String measure, List<RoundPair> rounds,
			ToDoubleFunction<RoundPair> ratio) {
		md.append(" ").append(measure).append(" ")
			.append(sessionMeans(rounds, ratio).stream()
				.map((mean) -> String.format(Locale.ROOT, "%.3f", mean))
				.collect(Collectors.joining(", ")))
			.append(String.format(Locale.ROOT, " (over all %d rounds alone: %s);", rounds.size(),
					RatioInterval.of(rounds.stream().map(ratio::applyAsDouble).toList())));
	}

	/**
	 * The interval over the rounds, or with sessions over the sessions' means: rounds in one JVM are
	 * not independent of each other, sessions are.
	 */
	private RatioInterval interval(List<RoundPair> rounds, ToDoubleFunction<RoundPair> ratio) {
		if (this.settings.sessions() > 1) {
			return RatioInterval.of(sessionMeans(rounds, ratio));
		}
		return RatioInterval.of(rounds.stream().map(ratio::applyAsDouble).toList());
	}

	private static List<Double> sessionMeans(List<RoundPair> rounds, ToDoubleFunction<RoundPair> ratio) {
		return rounds.stream()
			.collect(Collectors.groupingBy(RoundPair::session, TreeMap::new, Collectors.averagingDouble(ratio)))
			.values()
			.stream()
			.toList();
	}

	private static void errors(StringBuilder md, ClientKind kind, List<RoundMeasure> results) {
		List<String> samples = results.stream().flatMap((result) -> result.errorSamples().stream()).distinct().limit(3).toList();
		if (!samples.isEmpty()) {
			md.append(kind).append("'s errors, for example: ");
			md.append(samples.stream().map((sample) -> "`" + sample.replace("`", "'") + "`").collect(Collectors.joining("; ")));
			md.append("\n\n");
		}
	}

	private String row(String measure, String goal, RatioInterval ratio, String verdict, List<RoundPair> rounds,
			ToDoubleFunction<RoundMeasure> value, String format) {
		double c = median(rounds.stream().mapToDouble((r) -> value.applyAsDouble(r.candidate())).toArray());
		double b = median(rounds.stream().mapToDouble((r) -> value.applyAsDouble(r.baseline())).toArray());
		return String.format(Locale.ROOT, "| %s | %s | %s | %s | " + format + " | " + format + " |%n", measure, goal,
				ratio, verdict, c, b);
	}

	private void startUp(StringBuilder md) {
		int n = this.starts.values().stream().mapToInt(List::size).min().orElse(0);
		md.append("## Start-up\n\n");
		if (n == 0) {
			md.append("Not measured in this run (`bench.overhead.starts=0`).\n\n");
			return;
		}
		md.append(String.format(Locale.ROOT,
				"%d cold starts of each, every one in a JVM of its own (`-Xmx512m`, the same class path), "
						+ "alternating; after one discarded start of each. Median [min - max], milliseconds.%n%n",
				n));
		md.append("| measure | ").append(this.candidate).append(" | ").append(this.baseline)
			.append(" | ratio of medians |\n|---|---|---|---|\n");
		startRow(md, "`SpringApplication.run`", StartupTimer.Sample::context);
		startRow(md, "first SET + GET after it", StartupTimer.Sample::firstOperation);
		startRow(md, "JVM start to first reply", StartupTimer.Sample::jvmToFirstOperation);
		startRow(md, "whole process, shutdown included", StartupTimer.Sample::wall);
		md.append('\n');
	}

	private void startRow(StringBuilder md, String measure, ToDoubleFunction<StartupTimer.Sample> value) {
		double[] c = this.starts.get(this.candidate).stream().mapToDouble(value).sorted().toArray();
		double[] b = this.starts.get(this.baseline).stream().mapToDouble(value).sorted().toArray();
		md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f |%n", measure, spread(c), spread(b),
				median(c) / median(b)));
	}

	private static String spread(double[] sorted) {
		if (sorted.length == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.0f [%.0f - %.0f]", median(sorted), sorted[0], sorted[sorted.length - 1]);
	}

	private static double median(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int mid = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	private static String trim(double percentile) {
		return (percentile == Math.rint(percentile)) ? Long.toString((long) percentile) : Double.toString(percentile);
	}

	static Path write(Path file, String markdown) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, markdown, StandardCharsets.UTF_8);
		return file;
	}

}
