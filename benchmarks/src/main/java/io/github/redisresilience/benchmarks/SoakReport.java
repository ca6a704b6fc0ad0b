package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a soak's results: a Markdown summary ({@code <name>.md}), every sample
 * ({@code <name>-samples.csv}) and a chart ({@code <name>.svg}) of the resources and recovery over
 * the run with the disruptions marked.
 */
final class SoakReport {

	private final SoakResult result;

	SoakReport(SoakResult result) {
		this.result = result;
	}

	void write() throws IOException {
		Path folder = this.result.settings().results();
		Files.createDirectories(folder);
		String name = this.result.settings().name();
		Files.writeString(folder.resolve(name + ".md"), markdown(), StandardCharsets.UTF_8);
		Files.writeString(folder.resolve(name + "-samples.csv"), csv(), StandardCharsets.UTF_8);
		Files.writeString(folder.resolve(name + ".svg"), SoakChart.svg(this.result), StandardCharsets.UTF_8);
		System.out.println("[soak] written to " + folder.resolve(name + ".md").toAbsolutePath());
	}

	String markdown() {
		SoakResult r = this.result;
		StringBuilder out = new StringBuilder();
		List<String> problems = r.problems();
		out.append("# Soak: ").append(r.settings().name()).append("\n\n");
		out.append("**").append(problems.isEmpty() ? "Passed" : "Failed").append("**");
		if (!problems.isEmpty()) {
			out.append(": ").append(String.join("; ", problems));
		}
		out.append("\n\n");
		out.append("One application with the starter (exactly-once INCR on), redis-server ").append(r.server())
			.append(", ")
			.append(r.settings())
			.append(". Run it again with `-Dbench.soak.seed=")
			.append(r.settings().seed())
			.append("`; the chart: [")
			.append(r.settings().name())
			.append(".svg](")
			.append(r.settings().name())
			.append(".svg), every sample: [")
			.append(r.settings().name())
			.append("-samples.csv](")
			.append(r.settings().name())
			.append("-samples.csv).\n\n");

		out.append("## Disruptions\n\n| disruption | times | median heal | median recovery after the heal |\n|---|---:|---:|---:|\n");
		for (Map.Entry<SoakDisruption, Long> entry : r.disruptionCounts().entrySet()) {
			List<SoakResult.Disrupted> of = r.disruptions()
				.stream()
				.filter((disrupted) -> disrupted.applied().disruption() == entry.getKey())
				.toList();
			out.append("| ").append(entry.getKey().description()).append(" | ").append(entry.getValue()).append(" | ")
				.append(medianMillis(of.stream().map((d) -> d.applied().unhealthyFor()).toList()))
				.append(" | ")
				.append(medianMillis(of.stream().flatMap((d) -> d.recovery().stream()).toList()))
				.append(" |\n");
		}
		long unrecovered = r.disruptions().stream().filter((d) -> d.recovered() == null).count();
		out.append("\nRecovery (from the heal to the first second in which every thread completed an operation and none failed), median: ")
			.append(duration(r.recoveryAtStart()))
			.append(" for the disruptions healed in the first third of the run, ")
			.append(duration(r.recoveryAtEnd()))
			.append(" in the last third (growth beyond ×")
			.append(SoakResult.RECOVERY_GROWTH)
			.append(" + ")
			.append(SoakResult.RECOVERY_SLACK.toSeconds())
			.append(" s fails the run); ")
			.append(unrecovered)
			.append(" not recovered within ")
			.append(SoakRun.RECOVERY_LIMIT.toSeconds())
			.append(" s.\n\n");

		out.append("## Ledger\n\n");
		LedgerCheck.Verdict ledger = r.ledger();
		out.append("| | count |\n|---|---:|\n");
		row(out, "operations started", r.operations());
		r.failures().forEach((kind, count) -> row(out, kind.name() + " failed", count));
		row(out, "failed within the retry budget (" + r.budget().toSeconds() + " s)", r.failedWithinBudget());
		row(out, "acknowledged writes read back", ledger.acknowledged());
		row(out, "acknowledged writes lost", ledger.lost());
		row(out, "acknowledged writes unreadable", ledger.unreadable());
		row(out, "acknowledged INCR", ledger.increments().acknowledged());
		row(out, "INCR of unknown outcome (failed)", ledger.increments().unknown());
		row(out, "acknowledged INCR lost", ledger.increments().lost());
		row(out, "INCR applied twice", ledger.increments().twice() + r.incrAnsweredTwice());
		if (!r.errors().isEmpty()) {
			out.append("\nFirst errors:\n\n");
			r.errors().forEach((error) -> out.append("- `").append(error.replace('`', '\'')).append("`\n"));
		}

		out.append("\n## Resources\n\nSampled every ").append(r.settings().sampleEvery().toSeconds())
			.append(" s (the heap right after a full collection). After the ")
			.append(r.settings().warmUp().toSeconds())
			.append(" s warm-up the run is cut in thirds; a resource is flat when the median of the last third exceeds the median of the first by no more than its tolerance (medians, so that samples taken mid-disruption do not decide).\n\n");
		out.append("| resource | first third | last third | highest | tolerance | verdict |\n|---|---:|---:|---:|---|---|\n");
		for (SoakResult.Trend trend : r.trends().values()) {
			out.append("| ").append(trend.resource().label()).append(" | ")
				.append(value(trend.first())).append(" | ")
				.append(value(trend.last())).append(" | ")
				.append(value(trend.max())).append(" | ")
				.append(trend.resource().tolerance()).append(" | ")
				.append(trend.verdict().passed() ? "flat" : "**grew**").append(": ")
				.append(trend.verdict().reason()).append(" |\n");
		}
		return out.toString();
	}

	private static void row(StringBuilder out, String label, long count) {
		out.append("| ").append(label).append(" | ").append(count).append(" |\n");
	}

	private static String value(double value) {
		return (value < 0) ? "n/a" : SoakResource.format(value);
	}

	private static String medianMillis(List<Duration> durations) {
		if (durations.isEmpty()) {
			return "-";
		}
		return Math.round(SoakResult.median(durations.stream().map((d) -> (double) d.toMillis()).toList())) + " ms";
	}

	private static String duration(Optional<Duration> duration) {
		return duration.map((d) -> d.toMillis() + " ms").orElse("n/a (no disruption healed then)");
	}

	String csv() {
		StringBuilder out = new StringBuilder("seconds");
		for (SoakResource resource : SoakResource.values()) {
			out.append(',').append(resource.name().toLowerCase(Locale.ROOT));
		}
		out.append('\n');
		for (SoakSample sample : this.result.samples()) {
			out.append(Duration.between(this.result.started(), sample.at()).toSeconds());
			for (SoakResource resource : SoakResource.values()) {
				out.append(',').append(value(resource.of(sample)));
			}
			out.append('\n');
		}
		return out.toString();
	}

}
