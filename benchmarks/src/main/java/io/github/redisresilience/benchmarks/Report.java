package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The side-by-side table (printed and as Markdown), the per-run results as JSON, the per-second
 * timeline as CSV, and a timeline chart per scenario.
 */
final class Report {

	private static final int LABEL = 33;

	private static final int COLUMN = 19;

	private final Settings settings;

	Report(Settings settings) {
		this.settings = settings;
	}

	/** One line per client and run, printed as the benchmark goes. */
	static String line(RunResult result) {
		if (!result.started()) {
			return String.format(Locale.ROOT, "[bench]   %-12s did not start: %s", result.client(), result.startError());
		}
		return String.format(Locale.ROOT,
				"[bench]   %-12s %6d ops, %5d failed, %d of %d acknowledged writes lost%s; INCR: %d acked, %d unknown, "
						+ "%d lost, %d applied twice; first good second %s after %s%s; longest op %s s, p99 %s ms; errors %s",
				result.client(), result.operations(), result.failed(), result.lost(), result.acknowledged(),
				(result.unreadable() > 0) ? " (" + result.unreadable() + " unreadable)" : "",
				result.increments().acknowledged(), result.increments().unknown(), result.increments().lost(),
				result.increments().twice(), recovery(result), result.healLabel(),
				(result.promoted() != null && !result.promoted().equals(result.unhealthy()))
						? " (" + ((result.recoveryFromPromotion() != null) ? seconds(result.recoveryFromPromotion()) + " s"
								: "never") + " after the promotion)" : "",
				longest(result), millis(result.p99()), result.errors());
	}

	/** The printed table: per scenario, one column per client, one row per measure, then ratios to the starter. */
	String table(List<RunResult> results) {
		StringBuilder out = new StringBuilder();
		for (Scenario scenario : this.settings.scenarios()) {
			List<RunResult> runs = results.stream().filter((result) -> result.scenario() == scenario).toList();
			if (runs.isEmpty()) {
				continue;
			}
			out.append(String.format(Locale.ROOT, "=== %s: %s; cluster unhealthy %s s ===%n", scenario,
					scenario.description(), unhealthy(runs)));
			out.append(pad("", LABEL));
			this.settings.clients().forEach((client) -> out.append(pad(client.label(), COLUMN)));
			out.append(System.lineSeparator());
			for (Measure measure : measuresOf(runs)) {
				out.append(pad(measure.label, LABEL));
				for (ClientKind client : this.settings.clients()) {
					out.append(pad(cell(runsOf(runs, client), measure), COLUMN));
				}
				out.append(System.lineSeparator());
			}
			if (this.settings.clients().contains(ClientKind.STARTER)) {
				for (Measure measure : measuresOf(runs)) {
					if (measure == Measure.RECOVERED) {
						continue;
					}
					out.append(pad("  vs starter: " + measure.shortLabel, LABEL));
					for (ClientKind client : this.settings.clients()) {
						out.append(pad(ratio(runsOf(runs, ClientKind.STARTER), runsOf(runs, client), measure), COLUMN));
					}
					out.append(System.lineSeparator());
				}
			}
			out.append(System.lineSeparator());
		}
		out.append(CELLS).append('\n')
			.append("'vs starter' compares worst runs: N.Nx = times the starter's, +N = the difference where the\n"
					+ "starter's is (near) zero, = the same.\n");
		return out.toString();
	}

	private static List<RunResult> runsOf(List<RunResult> runs, ClientKind client) {
		return runs.stream()
			.filter((result) -> result.client() == client)
			.sorted(Comparator.comparingInt(RunResult::repetition))
			.toList();
	}

	/** How long the cluster was unhealthy: the one run's, or median / worst over the runs. */
	private static String unhealthy(List<RunResult> runs) {
		List<Duration> sorted = runs.stream()
			.collect(Collectors.toMap(RunResult::repetition, RunResult::unhealthy, (a, b) -> a, TreeMap::new))
			.values()
			.stream()
			.sorted()
			.toList();
		if (sorted.size() == 1) {
			return seconds(sorted.get(0));
		}
		return seconds(sorted.get((sorted.size() - 1) / 2)) + " / " + seconds(sorted.get(sorted.size() - 1));
	}

	private static final String CELLS = "Cells: the value of a single run, or median / worst over the runs (worst: the most, or for\n"
			+ "'ok' the fewest); 'never' = no fully successful second within the recovery limit; '>' = an\n"
			+ "operation still running at the end (counted as failed); '?N' = N values could not be read back.";

	/** The measures that mean something for these runs: recovery from the promotion only where there was one. */
	private static List<Measure> measuresOf(List<RunResult> runs) {
		boolean promotion = runs.stream().anyMatch((run) -> run.promoted() != null);
		return Arrays.stream(Measure.values())
			.filter((measure) -> measure != Measure.RECOVERY_FROM_PROMOTION || promotion)
			.toList();
	}

	private static String cell(List<RunResult> runs, Measure measure) {
		if (runs.isEmpty()) {
			return "-";
		}
		if (runs.stream().noneMatch(RunResult::started)) {
			return "no start";
		}
		List<RunResult> started = runs.stream().filter(RunResult::started).toList();
		if (measure == Measure.RECOVERED) {
			return started.stream().filter(RunResult::recovered).count() + "/" + started.size();
		}
		if (started.size() == 1) {
			return measure.format.apply(started.get(0));
		}
		List<RunResult> sorted = started.stream().sorted(Comparator.comparingDouble(measure.value)).toList();
		RunResult worst = (measure == Measure.SUCCEEDED) ? sorted.get(0) : sorted.get(sorted.size() - 1);
		return measure.format.apply(sorted.get((sorted.size() - 1) / 2)) + " / " + measure.format.apply(worst);
	}

	private static String ratio(List<RunResult> starter, List<RunResult> other, Measure measure) {
		List<RunResult> starterRuns = starter.stream().filter(RunResult::started).toList();
		List<RunResult> otherRuns = other.stream().filter(RunResult::started).toList();
		if (starterRuns.isEmpty() || otherRuns.isEmpty()) {
			return "-";
		}
		// The worst run: the most of everything, but the fewest successful operations.
		double base = worst(starterRuns, measure);
		double value = worst(otherRuns, measure);
		if (Double.isInfinite(value) && Double.isInfinite(base)) {
			return "both never";
		}
		if (Double.isInfinite(value)) {
			return "never";
		}
		if (Double.isInfinite(base)) {
			return "starter never";
		}
		if (value == base) {
			return "=";
		}
		if (base < measure.smallest) {
			return measure.difference(value - base);
		}
		return String.format(Locale.ROOT, "%.1fx", value / base);
	}

	private static double worst(List<RunResult> runs, Measure measure) {
		return (measure == Measure.SUCCEEDED) ? runs.stream().mapToDouble(measure.value).min().orElse(0)
				: runs.stream().mapToDouble(measure.value).max().orElse(0);
	}

	/** Writes every output file; called after each run so a crash keeps what was measured. */
	void write(List<RunResult> results) {
		try {
			Path folder = this.settings.output();
			Files.createDirectories(folder);
			Files.writeString(folder.resolve("table.txt"), table(results), StandardCharsets.UTF_8);
			Files.writeString(folder.resolve("results.md"), markdown(results), StandardCharsets.UTF_8);
			Files.writeString(folder.resolve("summary.md"), summary(results), StandardCharsets.UTF_8);
			Files.writeString(folder.resolve("results.json"), json(results), StandardCharsets.UTF_8);
			Files.writeString(folder.resolve("timeline.csv"), csv(results), StandardCharsets.UTF_8);
			List<String> charts = new ArrayList<>();
			for (Scenario scenario : this.settings.scenarios()) {
				List<RunResult> runs = results.stream().filter((result) -> result.scenario() == scenario).toList();
				if (!runs.isEmpty()) {
					String svg = TimelineChart.svg(scenario, runs, this.settings);
					Files.writeString(folder.resolve("timeline-" + scenario.id() + ".svg"), svg, StandardCharsets.UTF_8);
					charts.add(svg);
				}
			}
			Files.writeString(folder.resolve("report.html"), TimelineChart.html(table(results), charts),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One table per measure, scenarios as rows and clients as columns, then the scenarios with their
	 * charts: what the README shows.
	 */
	private String markdown(List<RunResult> results) {
		List<Scenario> scenarios = this.settings.scenarios()
			.stream()
			.filter((scenario) -> results.stream().anyMatch((result) -> result.scenario() == scenario))
			.toList();
		StringBuilder out = new StringBuilder("# Resilience benchmark\n\n").append(this.settings).append(".\n\n");
		out.append(CELLS.replace("\n", " ")).append("\n\n");
		for (Measure measure : Measure.values()) {
			out.append("### ").append(capitalized(measure.label)).append("\n\n| scenario |");
			this.settings.clients().forEach((client) -> out.append(' ').append(client.label()).append(" |"));
			out.append("\n|---|");
			this.settings.clients().forEach((client) -> out.append("---|"));
			out.append('\n');
			for (Scenario scenario : scenarios) {
				List<RunResult> runs = results.stream().filter((result) -> result.scenario() == scenario).toList();
				if (!measuresOf(runs).contains(measure)) {
					continue;
				}
				out.append("| [").append(scenario.id()).append("](timeline-").append(scenario.id()).append(".svg) |");
				for (ClientKind client : this.settings.clients()) {
					out.append(' ').append(cell(runsOf(runs, client), measure).replace("|", "\\|")).append(" |");
				}
				out.append('\n');
			}
			out.append('\n');
		}
		out.append("### Scenarios\n\n| scenario | what happens | runs | cluster unhealthy, s |\n|---|---|---|---|\n");
		for (Scenario scenario : scenarios) {
			List<RunResult> runs = results.stream().filter((result) -> result.scenario() == scenario).toList();
			long repetitions = runs.stream().mapToInt(RunResult::repetition).distinct().count();
			out.append("| [").append(scenario.id()).append("](timeline-").append(scenario.id()).append(".svg) | ")
				.append(scenario.description()).append(" | ").append(repetitions).append(" | ")
				.append(unhealthy(runs)).append(" |\n");
		}
		return out.toString();
	}

	/**
	 * One table for the README: scenarios as rows, clients as columns, each cell the recovery from
	 * the heal and the failed operations, and what was lost or applied twice where anything was.
	 */
	private String summary(List<RunResult> results) {
		StringBuilder out = new StringBuilder("| scenario |");
		this.settings.clients().forEach((client) -> out.append(' ').append(client.label()).append(" |"));
		out.append("\n|---|");
		this.settings.clients().forEach((client) -> out.append("---|"));
		out.append('\n');
		for (Scenario scenario : this.settings.scenarios()) {
			List<RunResult> runs = results.stream().filter((result) -> result.scenario() == scenario).toList();
			if (runs.isEmpty()) {
				continue;
			}
			out.append("| [").append(scenario.id()).append("](benchmarks/results/timeline-").append(scenario.id())
				.append(".svg) |");
			for (ClientKind client : this.settings.clients()) {
				List<RunResult> mine = runsOf(runs, client);
				if (mine.stream().noneMatch(RunResult::started)) {
					out.append(mine.isEmpty() ? " - |" : " no start |");
					continue;
				}
				StringBuilder cell = new StringBuilder(cell(mine, Measure.RECOVERY));
				if (!cell.toString().contains("never")) {
					cell.append(" s");
				}
				cell.append(", ").append(cell(mine, Measure.FAILED)).append(" failed");
				for (Measure measure : List.of(Measure.LOST, Measure.INCR_LOST, Measure.INCR_TWICE)) {
					if (mine.stream().anyMatch((run) -> measure.value.applyAsDouble(run) > 0)) {
						cell.append(", ").append(cell(mine, measure)).append(' ').append(measure.shortLabel);
					}
				}
				out.append(' ').append(cell.toString().replace("|", "\\|")).append(" |");
			}
			out.append('\n');
		}
		return out.toString();
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static String json(List<RunResult> results) {
		StringBuilder out = new StringBuilder("[\n");
		for (int i = 0; i < results.size(); i++) {
			RunResult r = results.get(i);
			out.append("  {");
			field(out, "scenario", quote(r.scenario().id())).append(", ");
			field(out, "repetition", r.repetition()).append(", ");
			field(out, "client", quote(r.client().label())).append(", ");
			field(out, "startError", (r.startError() != null) ? quote(r.startError()) : "null").append(", ");
			field(out, "operations", r.operations()).append(", ");
			field(out, "failed", r.failed()).append(", ");
			field(out, "acknowledgedWrites", r.acknowledged()).append(", ");
			field(out, "lostWrites", r.lost()).append(", ");
			field(out, "unreadableWrites", r.unreadable()).append(", ");
			field(out, "incrAcknowledged", r.increments().acknowledged()).append(", ");
			field(out, "incrUnknown", r.increments().unknown()).append(", ");
			field(out, "incrLost", r.increments().lost()).append(", ");
			field(out, "incrAppliedTwice", r.increments().twice()).append(", ");
			field(out, "incrUnreadable", r.increments().unreadable()).append(", ");
			field(out, "recoveryMillis", (r.recovery() != null) ? r.recovery().toMillis() : "null").append(", ");
			field(out, "recoveryFromPromotionMillis",
					(r.recoveryFromPromotion() != null) ? r.recoveryFromPromotion().toMillis() : "null").append(", ");
			field(out, "promotedMillis", (r.promoted() != null) ? r.promoted().toMillis() : "null").append(", ");
			field(out, "longestMillis", r.longest().toMillis()).append(", ");
			field(out, "longestUnfinished", r.longestUnfinished()).append(", ");
			field(out, "p99Millis", r.p99().toMillis()).append(", ");
			field(out, "clusterUnhealthyMillis", r.unhealthy().toMillis()).append(", ");
			field(out, "heal", quote(r.healLabel())).append(", ");
			field(out, "resumedMillis", (r.resumed() != null) ? r.resumed().toMillis() : "null").append(", ");
			field(out, "errors", r.errors().stream().map(Report::quote).collect(Collectors.joining(", ", "[", "]")));
			out.append((i < results.size() - 1) ? "},\n" : "}\n");
		}
		return out.append("]\n").toString();
	}

	private static StringBuilder field(StringBuilder out, String name, Object value) {
		return out.append('"').append(name).append("\": ").append(value);
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** One row per scenario, repetition, client and 100 ms (from its start, relative to the disruption's start). */
	private static String csv(List<RunResult> results) {
		StringBuilder out = new StringBuilder("scenario,repetition,client,from_ms,ok,failed\n");
		long bucket = RunResult.BUCKET.toMillis();
		for (RunResult r : results) {
			for (int i = 0; i < r.ok().length; i++) {
				out.append(r.scenario().id()).append(',').append(r.repetition()).append(',').append(r.client().label())
					.append(',').append((r.firstBucket() + i) * bucket).append(',').append(r.ok()[i]).append(',')
					.append(r.failedPerBucket()[i]).append('\n');
			}
		}
		return out.toString();
	}

	static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
	}

	static String millis(Duration duration) {
		return String.format(Locale.ROOT, "%.1f", duration.toNanos() / 1e6);
	}

	static String recovery(RunResult result) {
		return (result.recovery() != null) ? seconds(result.recovery()) + " s" : "never";
	}

	static String longest(RunResult result) {
		return (result.longestUnfinished() ? ">" : "") + seconds(result.longest());
	}

	private static String pad(String text, int width) {
		return (text.length() >= width) ? text + " " : text + " ".repeat(width - text.length());
	}

	/** The measures in the table, each with how it is shown and compared. */
	private enum Measure {

		RECOVERED("recovered within the limit", "recovered", (r) -> r.recovered() ? "yes" : "no",
				(r) -> r.recovered() ? 0 : 1, 1),

		RECOVERY("heal -> 1st good second, s", "recovery",
				(r) -> (r.recovery() != null) ? seconds(r.recovery()) : "never",
				(r) -> (r.recovery() != null) ? r.recovery().toMillis() / 1000.0 : Double.POSITIVE_INFINITY, 0.1),

		RECOVERY_FROM_PROMOTION("promotion -> 1st good second, s", "from promotion",
				(r) -> (r.promoted() == null) ? "-"
						: (r.recoveryFromPromotion() != null) ? seconds(r.recoveryFromPromotion()) : "never",
				(r) -> (r.recoveryFromPromotion() != null) ? r.recoveryFromPromotion().toMillis() / 1000.0
						: Double.POSITIVE_INFINITY, 0.1),

		SUCCEEDED("operations ok (from disruption)", "ok", (r) -> Long.toString(r.operations() - r.failed()),
				(r) -> r.operations() - r.failed(), 1),

		FAILED("operations failed", "failed", (r) -> Long.toString(r.failed()), (r) -> r.failed(), 1),

		LOST("acked writes lost", "writes lost", (r) -> r.lost() + ((r.unreadable() > 0) ? "?" + r.unreadable() : ""),
				(r) -> r.lost(), 1),

		INCR_LOST("acked INCRs lost", "INCR lost",
				(r) -> r.increments().lost() + ((r.increments().unreadable() > 0) ? "?" + r.increments().unreadable() : ""),
				(r) -> r.increments().lost(), 1),

		INCR_TWICE("INCRs applied twice", "INCR twice", (r) -> Long.toString(r.increments().twice()),
				(r) -> r.increments().twice(), 1),

		INCR_FAILED("INCRs failed (applied or not: unknown)", "INCR failed",
				(r) -> Long.toString(r.increments().unknown()), (r) -> r.increments().unknown(), 1),

		LONGEST("longest operation, s", "longest", Report::longest, (r) -> r.longest().toMillis() / 1000.0, 0.1),

		P99("p99 operation, ms", "p99", (r) -> millis(r.p99()), (r) -> r.p99().toNanos() / 1e6, 0.5);

		private final String label;

		private final String shortLabel;

		private final Function<RunResult, String> format;

		private final ToDoubleFunction<RunResult> value;

		/** Below this the starter's value is taken as zero: a ratio to it would mean nothing. */
		private final double smallest;

		Measure(String label, String shortLabel, Function<RunResult, String> format,
				ToDoubleFunction<RunResult> value, double smallest) {
			this.label = label;
			this.shortLabel = shortLabel;
			this.format = format;
			this.value = value;
			this.smallest = smallest;
		}

		String difference(double difference) {
			if (this == FAILED || this == LOST || this == INCR_LOST || this == INCR_TWICE || this == INCR_FAILED
					|| this == SUCCEEDED) {
				return String.format(Locale.ROOT, "%+d", Math.round(difference));
			}
			return (this == P99) ? String.format(Locale.ROOT, "%+.1f ms", difference)
					: String.format(Locale.ROOT, "%+.1f s", difference);
		}

	}

}
