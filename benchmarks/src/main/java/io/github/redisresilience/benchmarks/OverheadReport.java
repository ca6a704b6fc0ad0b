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
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.github.redisresilience.benchmarks.OverheadBenchmark.RoundPair;

/**
 * The overhead suite's Markdown: per variant, the per-round ratios with confidence intervals
 * against the goals; then the cold starts.
 */
final class OverheadReport {

	/** Issue #12's goals: the starter costs at most 2 % of throughput and 5 % of p99 latency. */
	private static final double THROUGHPUT_GOAL = 0.98;

	private static final double P99_GOAL = 1.05;

	private final OverheadSettings settings;

	private final ClientKind candidate;

	private final ClientKind baseline;

	private final Map<String, List<RoundPair>> variants;

	private final Map<ClientKind, List<StartupTimer.Sample>> starts;

	private final String redisVersion;

	OverheadReport(OverheadSettings settings, ClientKind candidate, ClientKind baseline,
			Map<String, List<RoundPair>> variants, Map<ClientKind, List<StartupTimer.Sample>> starts,
			String redisVersion) {
		this.settings = settings;
		this.candidate = candidate;
		this.baseline = baseline;
		this.variants = variants;
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
			.append(" within each round (the two clients run one after the other, order flipped every round), ")
			.append("as the mean over the rounds ± the half-width of its 95 % confidence interval (Student's t). ")
			.append("A goal is *met* when the whole interval is on its side. A command is one SET or one GET of ")
			.append("an existing key; latency is per command.\n\n");
		this.variants.forEach((variant, rounds) -> steadyState(md, variant, rounds));
		startUp(md);
		return md.toString();
	}

	private void steadyState(StringBuilder md, String variant, List<RoundPair> rounds) {
		boolean saturating = variant.startsWith(OverheadSettings.SATURATING);
		md.append("## Steady state, ").append(variant).append("\n\n");
		md.append(saturating ? "Each thread sends its next command as soon as the last one returned.\n\n"
				: "Each thread follows a schedule; latency counts from when a command was due, so a stall is "
						+ "charged for every command it delayed.\n\n");
		md.append("| measure | goal | ").append(this.candidate).append(" / ").append(this.baseline)
			.append(" | verdict | ").append(this.candidate).append(", median of rounds | ").append(this.baseline)
			.append(", median of rounds |\n");
		md.append("|---|---|---|---|---|---|\n");
		RatioInterval throughput = RatioInterval.of(rounds.stream().map(RoundPair::throughputRatio).toList());
		md.append(row("throughput, commands/s", saturating ? "≥ " + THROUGHPUT_GOAL : "(fixed)", throughput,
				saturating ? throughput.verdict(THROUGHPUT_GOAL, true) : "-", rounds, SteadyLoad.Result::throughput,
				"%.0f"));
		for (double percentile : new double[] { 50, 99, 99.9 }) {
			RatioInterval ratio = RatioInterval.of(rounds.stream().map((r) -> r.percentileRatio(percentile)).toList());
			boolean p99 = percentile == 99;
			md.append(row(String.format(Locale.ROOT, "p%s latency, µs", trim(percentile)), p99 ? "≤ " + P99_GOAL : "",
					ratio, p99 ? ratio.verdict(P99_GOAL, false) : "", rounds,
					(result) -> result.percentileMillis(percentile) * 1000, "%.0f"));
		}
		long candidateErrors = rounds.stream().mapToLong((r) -> r.candidate().errors()).sum();
		long baselineErrors = rounds.stream().mapToLong((r) -> r.baseline().errors()).sum();
		md.append(String.format(Locale.ROOT, "| failed or wrong reads (all rounds) | 0 | | | %d | %d |%n%n",
				candidateErrors, baselineErrors));
		errors(md, this.candidate, rounds.stream().map(RoundPair::candidate).toList());
		errors(md, this.baseline, rounds.stream().map(RoundPair::baseline).toList());
	}

	private static void errors(StringBuilder md, ClientKind kind, List<SteadyLoad.Result> results) {
		List<String> samples = results.stream().flatMap((result) -> result.errorSamples().stream()).distinct().limit(3).toList();
		if (!samples.isEmpty()) {
			md.append(kind).append("'s errors, for example: ");
			md.append(samples.stream().map((sample) -> "`" + sample.replace("`", "'") + "`").collect(Collectors.joining("; ")));
			md.append("\n\n");
		}
	}

	private String row(String measure, String goal, RatioInterval ratio, String verdict, List<RoundPair> rounds,
			ToDoubleFunction<SteadyLoad.Result> value, String format) {
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
