package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the fleet-cost suite runs, from system properties (the Maven profile passes them on).
 * Quick mode ({@code bench.quick}) is the smallest configuration: 6 nodes, 10 clients, plain,
 * all pods moved, short windows, one frozen-master run.
 *
 * @param nodes {@code bench.fleet.nodes}: cluster sizes, half of them masters
 * @param sizes {@code bench.fleet.sizes}: clients per fleet
 * @param tls {@code bench.fleet.tls}: {@code plain}, {@code tls} or both
 * @param disruptions {@code bench.fleet.scenarios}: {@code all-pods-moved}, {@code master-kill}
 * @param kinds {@code bench.fleet.clients}: the client kinds, one fleet after the other
 * @param rate {@code bench.scale.rate}: operations (a write and its read) per second per client
 * @param steady {@code bench.fleet.steady}: steady state measured before the disruption
 * @param after {@code bench.fleet.after}: measured after the heal (the 20 s window and the return
 * to the steady rate are looked for in it)
 * @param refreshPeriod {@code bench.fleet.refresh-period}: the starter's periodic refresh, what
 * the steady-state target is counted in
 * @param frozenRuns {@code bench.fleet.frozen-runs}: frozen-master runs (0 leaves them out)
 * @param frozenClients {@code bench.fleet.frozen-clients}: clients of the frozen-master runs
 * @param results {@code bench.results}: the folder the results are written to
 */
record FleetCostSettings(List<Integer> nodes, List<Integer> sizes, List<Boolean> tls, List<FleetDisruption> disruptions,
		List<ClientKind> kinds, int rate, Duration steady, Duration after, Duration refreshPeriod, int frozenRuns,
		List<ClientKind> frozenClients, boolean quick, Path results) {

	/** The window after the heal the targets speak of. */
	static final Duration AFTER_WINDOW = Duration.ofSeconds(20);

	static FleetCostSettings fromSystemProperties() {
		boolean quick = Boolean.getBoolean("bench.quick");
		List<Integer> nodes = list("bench.fleet.nodes", quick ? "6" : "6,24,48", Integer::valueOf);
		for (int count : nodes) {
			if (count < 6 || count % 2 != 0) {
				throw new IllegalArgumentException("bench.fleet.nodes: an even count of 6 or more (half masters), not " + count);
			}
		}
		return new FleetCostSettings(nodes, list("bench.fleet.sizes", quick ? "10" : "10,50", Integer::valueOf),
				list("bench.fleet.tls", quick ? "plain" : "plain,tls", FleetCostSettings::tls),
				list("bench.fleet.scenarios", quick ? "all-pods-moved" : "all-pods-moved,master-kill",
						FleetDisruption::fromId),
				list("bench.fleet.clients", "starter,stock-boot,boot-refresh,redisson", ClientKind::fromLabel),
				Integer.getInteger("bench.scale.rate", 5), duration("bench.fleet.steady", quick ? "10s" : "20s"),
				duration("bench.fleet.after", quick ? "12s" : "30s"), duration("bench.fleet.refresh-period", "10s"),
				Integer.parseInt(ScaleSettings.property("bench.fleet.frozen-runs", quick ? "1" : "10")),
				list("bench.fleet.frozen-clients", "starter,boot-jedis", ClientKind::fromLabel), quick,
				Path.of(ScaleSettings.property("bench.results", "results")));
	}

	private static boolean tls(String value) {
		return switch (value.strip()) {
			case "plain" -> false;
			case "tls" -> true;
			default -> throw new IllegalArgumentException("bench.fleet.tls: plain or tls, not '" + value + "'");
		};
	}

	/** Comma-separated values; {@code none} for none (e.g. {@code bench.fleet.scenarios=none}: frozen master only). */
	private static <T> List<T> list(String property, String defaultValue, Function<String, T> parser) {
		String values = ScaleSettings.property(property, defaultValue);
		if (values.equals("none")) {
			return List.of();
		}
		return Arrays.stream(values.split(","))
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.map(parser)
			.toList();
	}

	private static Duration duration(String property, String defaultValue) {
		return DurationStyle.detectAndParse(ScaleSettings.property(property, defaultValue));
	}

	@Override
	public String toString() {
		return (this.quick ? "quick run: " : "") + "nodes " + this.nodes + ", clients per fleet " + this.sizes + ", "
				+ this.tls.stream().map((on) -> on ? "tls" : "plain").toList() + ", scenarios " + this.disruptions
				+ ", fleets " + this.kinds + ", " + this.rate + " writes+reads/s per client; " + this.steady.toSeconds()
				+ " s steady state before, " + this.after.toSeconds() + " s after the heal; frozen master "
				+ this.frozenRuns + " run(s) of " + this.frozenClients;
	}

}
