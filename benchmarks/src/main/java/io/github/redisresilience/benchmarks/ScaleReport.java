package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.benchmarks.ScaleBenchmark.ScaleRun;

/**
 * The scale suite's Markdown tables ({@code scale.md}) and per-second series
 * ({@code scale-timeline.csv}).
 */
final class ScaleReport {

	/** Data commands of the workload and the sampler's own, left out of the breakdown of the rest. */
	private static final List<String> NOT_SHOWN = List.of("set", "get", CommandStatsSampler.CONNECTIONS);

	private final ScaleSettings settings;

	private final String redisVersion;

	ScaleReport(ScaleSettings settings, String redisVersion) {
		this.settings = settings;
		this.redisVersion = redisVersion;
	}

	/** Writes both files and returns the Markdown. */
	String write(List<ScaleRun> runs) throws IOException {
		String markdown = markdown(runs);
		Files.createDirectories(this.settings.results());
		Files.writeString(this.settings.results().resolve("scale.md"), markdown, StandardCharsets.UTF_8);
		Files.writeString(this.settings.results().resolve("scale-timeline.csv"), csv(runs), StandardCharsets.UTF_8);
		return markdown;
	}

	String markdown(List<ScaleRun> runs) {
		StringBuilder md = new StringBuilder("# Scale: topology commands with many clients through a move of every pod\n\n");
		md.append(String.format(Locale.ROOT,
				"Measured %s on %d cores, load average %.1f (Java %s, redis-server %s, local kit cluster 3 masters x 1 replica). %s.%n%n",
				ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
				Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"), this.redisVersion,
				this.settings));
		md.append("One fleet of clients at a time, all in one JVM, each client with its own light workload. ")
			.append("Topology commands are `CLUSTER NODES`, `CLUSTER SLOTS` and `CLUSTER SHARDS` calls summed over ")
			.append("every node, from `INFO commandstats` read once a second (the sampler's own calls and connections ")
			.append("left out). The first row is the kit alone: it polls `CLUSTER NODES` while it heals the cluster, ")
			.append("and that share is in every other row's rates and peak too; the *extra per client* column and the ")
			.append("breakdown of other commands take it out (estimated from the kit's own rates). ")
			.append("Seconds are counted from the start of the move; ")
			.append("*during* runs to the heal (every node reports the cluster healthy), *after* from there to the end.\n\n");
		md.append("## Topology commands per second, whole cluster\n\n");
		md.append("| clients | start of all clients, s | while starting, mean / peak | before, mean | during the move, mean "
				+ "| after, mean | peak (second) | peak per client | extra per client from the move, net of the kit "
				+ "| new connections/s, peak |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|\n");
		ScaleRun kit = runs.stream().filter((run) -> run.size() == 0).findFirst().orElse(null);
		for (ScaleRun run : runs) {
			double before = run.meanTopology(run.before(), run.disrupted());
			double extra = extra(run) - ((kit != null) ? kitShare(kit, run, ScaleRun.TOPOLOGY) : 0);
			double connections = IntStream.range(run.disrupted(), run.end())
				.mapToDouble((s) -> run.count(s, CommandStatsSampler.CONNECTIONS))
				.max()
				.orElse(0);
			md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.0f (%+d s) | %s | %s | %.0f |%n",
					name(run), (run.size() > 0) ? String.format(Locale.ROOT, "%.1f", run.startedIn().toMillis() / 1000.0) : "-",
					(run.size() > 0) ? String.format(Locale.ROOT, "%.1f / %.0f", run.meanTopology(0, run.started()),
							run.peakTopology(0, run.started())) : "-",
					before, run.meanTopology(run.disrupted(), run.healed() + 1),
					run.meanTopology(run.healed() + 1, run.end()), run.peakTopology(run.disrupted(), run.end()),
					run.peakSecond(run.disrupted(), run.end()) - run.disrupted(),
					perClient(run, run.peakTopology(run.disrupted(), run.end())), perClient(run, extra), connections));
		}
		md.append("\n## Recovery\n\n");
		md.append("| clients | cluster unhealthy, s | clients with a good second after the heal | first good second after the heal, "
				+ "median / max, s | healthy in the last 5 s | acknowledged writes lost |\n|---|---|---|---|---|---|\n");
		for (ScaleRun run : runs) {
			if (run.size() == 0) {
				continue;
			}
			int[] after = run.recovered().stream().filter(OptionalInt::isPresent).mapToInt((s) -> s.getAsInt() - run.healed())
				.sorted()
				.toArray();
			md.append(String.format(Locale.ROOT, "| %s | %.1f | %d / %d | %s | %d / %d | %s |%n", name(run),
					run.unhealthyFor().toMillis() / 1000.0, after.length, run.size(),
					(after.length > 0) ? after[after.length / 2] + " / " + after[after.length - 1] : "-",
					run.healthyAtEnd(), run.size(),
					(run.ledger() != null) ? run.ledger().lost() + " of " + run.ledger().acknowledged()
							+ ((run.ledger().unreadable() > 0) ? " (" + run.ledger().unreadable() + " unreadable)" : "")
							: "-"));
		}
		md.append("\nA good second: the client ran operations in it and every one succeeded. Seconds are whole ")
			.append("seconds of the sampler's clock, so 0 means within the second the cluster healed in.\n\n");
		md.append("## Other commands from the start of the move to the end, whole cluster\n\n");
		md.append("Every command but the workload's `SET` and `GET`, most frequent first: for the kit alone its calls "
				+ "(with the replicas' own `REPLCONF` and `PSYNC`), "
				+ "for a fleet its calls beyond the kit's, per client (the kit's share estimated from its rates "
				+ "alone, while healing and after, over the fleet's own phases: roughly, the kit's work also "
				+ "depends on the load).\n\n| clients | commands |\n|---|---|\n");
		for (ScaleRun run : runs) {
			md.append("| ").append(name(run)).append(" | ")
				.append(breakdown(run, (run.size() > 0 && kit != null) ? kit : null))
				.append(" |\n");
		}
		md.append('\n');
		return md.toString();
	}

	/** Topology commands from the start of the move to the end beyond the rate before it. */
	private static double extra(ScaleRun run) {
		double before = run.meanTopology(run.before(), run.disrupted());
		return IntStream.range(run.disrupted(), run.end()).mapToDouble(run::topology).sum()
				- before * (run.end() - run.disrupted());
	}

	/**
	 * What the kit alone did, at the rates it did it while healing and after, over the lengths of
	 * another run's phases: its share of that run's counts. The kit polls at a steady pace while it
	 * heals, so its share grows with the heal's length, which differs from run to run.
	 */
	private static double kitShare(ScaleRun kit, ScaleRun run, List<String> counters) {
		double healing = rate(kit, counters, kit.disrupted(), kit.healed() + 1);
		double after = rate(kit, counters, kit.healed() + 1, kit.end());
		return healing * (run.healed() + 1 - run.disrupted()) + after * (run.end() - run.healed() - 1);
	}

	private static double rate(ScaleRun run, List<String> counters, int from, int before) {
		if (before <= from) {
			return 0;
		}
		double sum = 0;
		for (int s = from; s < before; s++) {
			for (String counter : counters) {
				sum += run.count(s, counter);
			}
		}
		return sum / (before - from);
	}

	private static String name(ScaleRun run) {
		if (run.size() == 0) {
			return run.label();
		}
		return run.size() + " " + run.label()
				+ ((run.failedToStart() > 0) ? " (" + run.failedToStart() + " failed to start)" : "");
	}

	private static String perClient(ScaleRun run, double value) {
		return (run.size() > 0) ? String.format(Locale.ROOT, "%.2f", value / run.size()) : "-";
	}

	private static Map<String, Double> totals(ScaleRun run) {
		Map<String, Double> totals = new HashMap<>();
		for (int s = run.disrupted(); s < run.end(); s++) {
			run.seconds().getOrDefault(s, Map.of()).forEach((command, calls) -> totals.merge(command, calls, Double::sum));
		}
		return totals;
	}

	private static String breakdown(ScaleRun run, @Nullable ScaleRun kit) {
		Map<String, Double> totals = totals(run);
		if (kit != null) {
			totals.replaceAll((command, calls) -> calls - kitShare(kit, run, List.of(command)));
		}
		double divisor = Math.max(1, run.size());
		return totals.entrySet()
			.stream()
			.filter((entry) -> !NOT_SHOWN.contains(entry.getKey()) && entry.getValue() / divisor >= 0.05)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(8)
			// A pipe, even in a code span, would end the table cell.
			.map((entry) -> String.format(Locale.ROOT, (run.size() > 0) ? "`%s` %.1f" : "`%s` %.0f",
					entry.getKey().replace("|", "\\|"), entry.getValue() / divisor))
			.collect(Collectors.joining(", "));
	}

	private static String csv(List<ScaleRun> runs) {
		StringBuilder csv = new StringBuilder("clients,second_from_move,topology_commands,new_connections,ok,failed\n");
		for (ScaleRun run : runs) {
			for (int s = 0; s < run.end(); s++) {
				int[] operations = (s < run.operations().size()) ? run.operations().get(s) : new int[2];
				csv.append(String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%d,%d%n", run.label(), s - run.disrupted(),
						run.topology(s), run.count(s, CommandStatsSampler.CONNECTIONS), operations[0], operations[1]));
			}
		}
		return csv.toString();
	}

}
