package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.benchmarks.FleetRun.Window;

/**
 * The fleet-cost suite's results: {@code fleet-cost.md} (the starter's targets with pass or fail,
 * per client per second in each window, the 48 / 6 node ratio), {@code fleet-cost.svg},
 * {@code fleet-cost-timeline.csv}, and {@code fleet-cost-frozen-master.md}.
 */
final class FleetCostReport {

	/** The starter's targets (issue 17): topology reads per client per second while degraded. */
	static final double DEGRADED_READS = 2.0;

	/** The largest cluster's degraded read rate over the smallest's. */
	static final double SIZE_RATIO = 1.2;

	/** Seconds from the heal until the steady rate is back. */
	static final int BACK_TO_STEADY = 2;

	private final FleetCostSettings settings;

	FleetCostReport(FleetCostSettings settings) {
		this.settings = settings;
	}

	/** Writes the fleet files and returns the Markdown. */
	String write(List<FleetRun> runs) throws IOException {
		String markdown = markdown(runs);
		Files.createDirectories(this.settings.results());
		Files.writeString(this.settings.results().resolve("fleet-cost.md"), markdown, StandardCharsets.UTF_8);
		Files.writeString(this.settings.results().resolve("fleet-cost.svg"), FleetCostChart.svg(runs, this.settings),
				StandardCharsets.UTF_8);
		Files.writeString(this.settings.results().resolve("fleet-cost-timeline.csv"), csv(runs), StandardCharsets.UTF_8);
		return markdown;
	}

	private String measured() {
		return String.format(Locale.ROOT,
				"Measured %s on %d cores, load average %.1f at the end (Java %s). One run on one machine: read the "
						+ "rates as orders of magnitude and the ratios as the result (a load average near the core "
						+ "count or above says other work ran beside it).",
				ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
				Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"));
	}

	String markdown(List<FleetRun> runs) {
		StringBuilder md = new StringBuilder("# Fleet cost: topology reads, connections and handshakes by cluster size\n\n");
		md.append(measured()).append(' ').append("Settings: ").append(this.settings).append(".\n\n");
		md.append("Per cluster (half masters, one replica each; TLS clusters announce host names, which the certificate ")
			.append("names, so every client verifies it) and disruption: first the kit alone, then one fleet of each ")
			.append("client kind after the other, all in one JVM, each client with a light workload. Counts are ")
			.append("`INFO commandstats` and `total_connections_received` summed over every node once a second, the ")
			.append("sampler's own left out, **per client per second, without the kit's share** ")
			.append("(it polls `CLUSTER INFO` and `CLUSTER NODES` of every node, a connection each, while it heals: its ")
			.append("share of a run is its calls per `CLUSTER INFO` in the run with the kit alone times the run's ")
			.append("`CLUSTER INFO` calls, second by second, as no client sends `CLUSTER INFO`; one ratio up to the heal, ")
			.append("one after). Topology reads: `CLUSTER NODES`, `CLUSTER SLOTS`, ")
			.append("`CLUSTER SHARDS`. Handshakes: `HELLO` and `AUTH`; on a TLS cluster every new connection is a TLS ")
			.append("handshake. Windows: *steady* before the disruption, *during* from it to the heal (every node ")
			.append("reports the cluster healthy; for a killed master, the promotion), *after* the 20 s after the heal; *while ")
			.append("degraded*, the target's measure, is the higher of *during* and *after* (clients catch up once the ")
			.append("cluster is back). ")
			.append("**Lettuce clients (starter, stock-boot, boot-refresh) also count their own topology reads and ")
			.append("handshakes** (their command latency recorder sees every command answered on every connection their ")
			.append("resources make: the starter's held and seed reads, Lettuce's refreshes): exact, nothing of the kit's ")
			.append("in them. The starter's targets are judged by those counts; Redisson and Jedis only by the cluster's. ")
			.append("*0 (kit)* / *unresolved*: the kit's estimated share was larger than all that was counted in the ")
			.append("window (its polls differ from heal to heal), so the net value says nothing. *Back to steady*: seconds from the heal until every 3 s mean of the reads stays within twice the ")
			.append("steady rate (at least steady + 0.2). Per-second series: `fleet-cost-timeline.csv`; chart: ")
			.append("[fleet-cost.svg](fleet-cost.svg).\n\n");
		targets(md, runs);
		newConnections(md, runs);
		table(md, runs);
		ratios(md, runs);
		double ownPolls = runs.stream()
			.filter((run) -> run.size() > 0)
			.mapToDouble((run) -> run.perClient(FleetRun.KIT_POLL, Window.STEADY, null))
			.filter((rate) -> !Double.isNaN(rate))
			.max()
			.orElse(0);
		md.append(String.format(Locale.ROOT, "Check of the kit-share estimate: the fleets' own `CLUSTER INFO` in steady "
				+ "state, at most %.3f per client per second (it assumes 0).%n%n", ownPolls));
		return md.toString();
	}

	private void targets(StringBuilder md, List<FleetRun> runs) {
		List<FleetRun> starter = runs.stream().filter((run) -> run.kind() == ClientKind.STARTER).toList();
		if (starter.isEmpty()) {
			return;
		}
		md.append("## The starter's targets\n\n| scenario | TLS | clients | nodes | target | measured | |\n|---|---|---|---|---|---|---|\n");
		double period = this.settings.refreshPeriod().toMillis() / 1000.0;
		for (FleetRun run : starter) {
			FleetRun kit = kitOf(runs, run);
			// The starter counts its own reads and handshakes: exact, with nothing of the kit's to take out.
			List<String> reads = run.reads();
			FleetRun readsKit = run.kitForReads(kit);
			String prefix = String.format(Locale.ROOT, "| %s | %s | %d | %d | ", run.disruption(), run.tls() ? "yes" : "no",
					run.size(), run.nodes());
			double degraded = run.degraded(reads, readsKit);
			row(md, prefix, "topology reads / client / s while degraded ≤ " + DEGRADED_READS,
					format(degraded), degraded <= DEGRADED_READS, run.unresolved(reads, readsKit));
			if (run.countedClientSide()) {
				double connections = run.perClientTotal(FleetRun.CLIENT_HANDSHAKES, null);
				row(md, prefix, "new connections (handshakes) / client, disruption to end ≤ addresses changed ("
						+ run.changedAddresses() + ")", format(connections), connections <= run.changedAddresses());
			}
			else {
				double connections = run.perClientTotal(FleetRun.CONNECTIONS, kit);
				row(md, prefix, "new connections / client, disruption to end ≤ addresses changed (" + run.changedAddresses()
						+ ")", format(connections), connections <= run.changedAddresses(),
						run.unresolved(FleetRun.CONNECTIONS, kit));
			}
			double steady = run.perClient(reads, Window.STEADY, readsKit) * period;
			row(md, prefix, String.format(Locale.ROOT, "steady: topology reads / client per refresh period (%.0f s) ≤ 1", period),
					format(steady), steady <= 1);
			OptionalInt back = run.backToSteady(reads, readsKit);
			row(md, prefix, "steady rate back within " + BACK_TO_STEADY + " s of the heal", back(run, back),
					back.isPresent() && back.getAsInt() <= BACK_TO_STEADY);
		}
		for (FleetRun large : starter) {
			FleetRun small = smallest(starter, large);
			if (small == null || small.nodes() == large.nodes()) {
				continue;
			}
			FleetRun largeKit = large.kitForReads(kitOf(runs, large));
			FleetRun smallKit = small.kitForReads(kitOf(runs, small));
			double ratio = ratio(large.degraded(large.reads(), largeKit), small.degraded(small.reads(), smallKit));
			row(md, String.format(Locale.ROOT, "| %s | %s | %d | %d / %d | ", large.disruption(), large.tls() ? "yes" : "no",
					large.size(), large.nodes(), small.nodes()), "degraded reads / client / s, ratio ≤ " + SIZE_RATIO,
					format(ratio), ratio <= SIZE_RATIO,
					large.unresolved(large.reads(), largeKit) || small.unresolved(small.reads(), smallKit));
		}
		md.append('\n');
	}

	private static void row(StringBuilder md, String prefix, String target, String measured, boolean pass) {
		row(md, prefix, target, measured, pass, false);
	}

	private static void row(StringBuilder md, String prefix, String target, String measured, boolean pass,
			boolean unresolved) {
		md.append(prefix).append(target).append(" | ").append(measured).append(unresolved ? " (kit)" : "").append(" | ")
			.append(unresolved ? "unresolved" : pass ? "pass" : "**fail**")
			.append(" |\n");
	}

	/**
	 * What the Lettuce clients' new connections carried, from the disruption to the end: where a
	 * connection count above the addresses changed comes from.
	 */
	private void newConnections(StringBuilder md, List<FleetRun> runs) {
		List<FleetRun> counted = runs.stream().filter((run) -> run.newConnections() != null).toList();
		if (counted.isEmpty()) {
			return;
		}
		md.append("## What the new connections carried\n\n")
			.append("Lettuce clients, per client, from the disruption to the end, each connection by its first handshake ")
			.append("and every command answered on it afterwards: the application's commands (opened up to the heal's ")
			.append("second or after it, and to how many distinct addresses), topology reads only (a seed read, a ")
			.append("refresh's connection, `INFO` included), or nothing past the handshake (closed or dropped before use).\n\n")
			.append("| scenario | TLS | nodes | clients | client | addresses changed | data, up to the heal | data, after it | ")
			.append("data addresses | topology reads only | nothing | all |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (FleetRun run : counted) {
			ClientSideCounts.NewConnections c = run.newConnections();
			md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
					run.disruption(), run.tls() ? "yes" : "no", run.nodes(), run.size(), run.label(),
					run.changedAddresses(), c.dataUpToHeal(), c.dataAfterHeal(), c.dataAddresses(), c.topologyOnly(),
					c.setupOnly(), c.total()));
		}
		md.append('\n');
	}

	private void table(StringBuilder md, List<FleetRun> runs) {
		md.append("## Per client per second\n\n")
			.append("| scenario | TLS | nodes | clients | client | cluster unhealthy, s | topology reads: steady / during / after "
					+ "| new connections: steady / during / after | HELLO+AUTH: during / after "
					+ "| new connections per client, disruption to end (addresses changed) "
					+ "| counted by the client: topology reads steady / during / after, handshakes per client disruption to end "
					+ "| back to steady, s | failed ops | clients recovered | acked writes lost |\n")
			.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (FleetRun run : sorted(runs)) {
			FleetRun kit = (run.size() > 0) ? kitOf(runs, run) : null;
			String client = (run.size() > 0) ? run.label() : "(kit alone, whole cluster per s)";
			md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.1f | %s / %s / %s | %s / %s / %s | %s / %s | %s | %s | %s | %s | %s | %s |%n",
					run.disruption(), run.tls() ? "yes" : "no", run.nodes(), (run.size() > 0) ? run.size() : "-", client,
					run.run().unhealthyFor().toMillis() / 1000.0,
					cell(run, FleetRun.READS, Window.STEADY, kit), cell(run, FleetRun.READS, Window.DURING, kit),
					cell(run, FleetRun.READS, Window.AFTER, kit), cell(run, FleetRun.CONNECTIONS, Window.STEADY, kit),
					cell(run, FleetRun.CONNECTIONS, Window.DURING, kit), cell(run, FleetRun.CONNECTIONS, Window.AFTER, kit),
					cell(run, FleetRun.HANDSHAKES, Window.DURING, kit), cell(run, FleetRun.HANDSHAKES, Window.AFTER, kit),
					(run.size() > 0) ? format(run.perClientTotal(FleetRun.CONNECTIONS, kit)) + " (" + run.changedAddresses() + ")" : "-",
					clientCounted(run),
					(run.size() > 0) ? back(run, run.backToSteady(run.reads(), run.kitForReads(kit))) : "-",
					(run.size() > 0) ? Integer.toString(run.failedOperations()) : "-",
					(run.size() > 0) ? run.recoveredClients() + " / " + run.size() : "-",
					(run.run().ledger() != null) ? run.run().ledger().lost() + " of " + run.run().ledger().acknowledged() : "-"));
		}
		md.append('\n');
	}

	/** The fleet's own counts, for Lettuce clients. */
	private static String clientCounted(FleetRun run) {
		if (!run.countedClientSide()) {
			return "-";
		}
		return format(run.perClient(FleetRun.CLIENT_READS, Window.STEADY, null)) + " / "
				+ format(run.perClient(FleetRun.CLIENT_READS, Window.DURING, null)) + " / "
				+ format(run.perClient(FleetRun.CLIENT_READS, Window.AFTER, null)) + ", "
				+ format(run.perClientTotal(FleetRun.CLIENT_HANDSHAKES, null));
	}

	private void ratios(StringBuilder md, List<FleetRun> runs) {
		List<FleetRun> fleets = runs.stream().filter((run) -> run.size() > 0).toList();
		if (this.settings.nodes().size() < 2 || fleets.isEmpty()) {
			return;
		}
		md.append("## Largest cluster / smallest, while degraded (the higher of during and after)\n\n")
			.append("| scenario | TLS | clients | client | topology reads / client / s by nodes "
					+ this.settings.nodes() + " | ratio | new connections / client / s by nodes | ratio |\n")
			.append("|---|---|---|---|---|---|---|---|\n");
		Set<String> done = new LinkedHashSet<>();
		for (FleetRun run : sorted(fleets)) {
			String key = run.disruption() + "/" + run.tls() + "/" + run.size() + "/" + run.label();
			if (!done.add(key)) {
				continue;
			}
			List<FleetRun> bySize = fleets.stream()
				.filter((other) -> other.disruption() == run.disruption() && other.tls() == run.tls()
						&& other.size() == run.size() && other.kind() == run.kind())
				.sorted(Comparator.comparingInt(FleetRun::nodes))
				.toList();
			List<String> reads = new ArrayList<>();
			List<String> connections = new ArrayList<>();
			for (FleetRun one : bySize) {
				reads.add(format(one.degraded(one.reads(), one.kitForReads(kitOf(runs, one)))));
				connections.add(format(one.degraded(FleetRun.CONNECTIONS, kitOf(runs, one))));
			}
			FleetRun small = bySize.get(0);
			FleetRun large = bySize.get(bySize.size() - 1);
			md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", run.disruption(),
					run.tls() ? "yes" : "no", run.size(), run.label(), String.join(" / ", reads),
					(bySize.size() > 1) ? format(ratio(large.degraded(large.reads(), large.kitForReads(kitOf(runs, large))),
							small.degraded(small.reads(), small.kitForReads(kitOf(runs, small))))) : "-",
					String.join(" / ", connections),
					(bySize.size() > 1) ? format(ratio(large.degraded(FleetRun.CONNECTIONS, kitOf(runs, large)),
							small.degraded(FleetRun.CONNECTIONS, kitOf(runs, small)))) : "-"));
		}
		md.append('\n');
	}

	/** Writes the frozen-master results and returns the Markdown. */
	String writeFrozen(List<RunResult> results) {
		StringBuilder md = new StringBuilder("# Frozen master: served again after the promotion\n\n");
		md.append(measured()).append("\n\n");
		md.append("The resilience suite's `master-frozen-past-failover` (SIGSTOP of the master of slot 6000 until its ")
			.append("replica is promoted, woken once every client recovered), repeated, every client side by side in ")
			.append("each run with its own workload (4 threads x 50 SET+GET+INCR/s, keys over every master). *Served ")
			.append("again*: from the promotion (the kit sees every live node report the cluster healthy) to the start ")
			.append("of the client's first second in which every operation succeeded (100 ms steps). Issue 17's target ")
			.append("for the starter: 0.5 s.\n\n");
		md.append("| client | runs | served again after the promotion, median / worst, s | each run, s | failed operations, median / worst | acknowledged writes lost |\n|---|---|---|---|---|---|\n");
		Set<ClientKind> clients = new LinkedHashSet<>();
		results.forEach((result) -> clients.add(result.client()));
		for (ClientKind client : clients) {
			List<RunResult> own = results.stream().filter((result) -> result.client() == client).toList();
			List<Duration> served = own.stream().map(RunResult::recovery).filter(Objects::nonNull).sorted().toList();
			long never = own.size() - served.size();
			List<Long> failed = own.stream().map(RunResult::failed).sorted().toList();
			md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d |%n", client, own.size(),
					served.isEmpty() ? "never"
							: seconds(served.get((served.size() - 1) / 2)) + " / "
									+ ((never > 0) ? "never (" + never + ")" : seconds(served.get(served.size() - 1))),
					String.join(", ", own.stream()
						.map((result) -> (result.recovery() != null) ? seconds(result.recovery()) : "never")
						.toList()),
					failed.isEmpty() ? "-" : failed.get((failed.size() - 1) / 2) + " / " + failed.get(failed.size() - 1),
					own.stream().mapToLong(RunResult::lost).sum()));
		}
		md.append('\n');
		try {
			Files.createDirectories(this.settings.results());
			Files.writeString(this.settings.results().resolve("fleet-cost-frozen-master.md"), md, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return md.toString();
	}

	private static String csv(List<FleetRun> runs) {
		StringBuilder csv = new StringBuilder(
				"scenario,tls,nodes,clients,client,second_from_disruption,topology_reads,new_connections,hello_auth,kit_polls,ok,failed,client_topology_reads,client_handshakes\n");
		for (FleetRun run : runs) {
			for (int s = 0; s < run.run().end(); s++) {
				int[] operations = (s < run.run().operations().size()) ? run.run().operations().get(s) : new int[2];
				csv.append(String.format(Locale.ROOT, "%s,%b,%d,%d,%s,%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%s,%s%n", run.disruption(), run.tls(),
						run.nodes(), run.size(), (run.size() > 0) ? run.label() : "kit", s - run.run().disrupted(),
						run.sum(FleetRun.READS, s, s + 1), run.sum(FleetRun.CONNECTIONS, s, s + 1),
						run.sum(FleetRun.HANDSHAKES, s, s + 1), run.sum(FleetRun.KIT_POLL, s, s + 1), operations[0],
						operations[1], run.countedClientSide() ? format0(run.sum(FleetRun.CLIENT_READS, s, s + 1)) : "",
						run.countedClientSide() ? format0(run.sum(FleetRun.CLIENT_HANDSHAKES, s, s + 1)) : ""));
			}
		}
		return csv.toString();
	}

	private static String format0(double count) {
		return String.format(Locale.ROOT, "%.0f", count);
	}

	/** A net rate, or {@code 0 (kit)} where the kit's estimated share exceeded the count. */
	private static String cell(FleetRun run, List<String> counters, Window window, @Nullable FleetRun kit) {
		return run.unresolved(counters, window, kit) ? "0 (kit)" : format(run.perClient(counters, window, kit));
	}

	static @Nullable FleetRun kitOf(List<FleetRun> runs, FleetRun run) {
		return runs.stream().filter((other) -> other.size() == 0 && other.sameSetup(run)).findFirst().orElse(null);
	}

	private static @Nullable FleetRun smallest(List<FleetRun> runs, FleetRun run) {
		return runs.stream()
			.filter((other) -> other.disruption() == run.disruption() && other.tls() == run.tls()
					&& other.size() == run.size() && other.kind() == run.kind())
			.min(Comparator.comparingInt(FleetRun::nodes))
			.orElse(null);
	}

	private static List<FleetRun> sorted(List<FleetRun> runs) {
		return runs.stream()
			.sorted(Comparator.comparing(FleetRun::disruption)
				.thenComparing(FleetRun::tls)
				.thenComparingInt(FleetRun::size)
				.thenComparingInt(FleetRun::nodes))
			.toList();
	}

	private static double ratio(double large, double small) {
		return (small > 0) ? large / small : Double.NaN;
	}

	private static String back(FleetRun run, OptionalInt back) {
		return back.isPresent() ? Integer.toString(back.getAsInt())
				: "> " + (run.run().end() - run.run().healed());
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return String.format(Locale.ROOT, (value >= 10) ? "%.0f" : "%.2f", value);
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
	}

}
