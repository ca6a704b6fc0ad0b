package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the benchmark runs, from system properties (the Maven profile passes them on).
 *
 * @param scenarios {@code bench.scenarios}: scenario ids, comma-separated, or {@code all}
 * @param clients {@code bench.clients}: client labels, comma-separated, or {@code all}
 * @param repetitions {@code bench.repetitions}: how often each scenario runs; {@code null} for a full
 * run (each scenario's own count: 5, 10 for the frozen-master races)
 * @param quick {@code bench.quick}: each scenario once
 * @param threads {@code bench.threads}: workload threads per client
 * @param rate {@code bench.rate}: operations per second per thread
 * @param recoveryLimit {@code bench.recovery-limit}: how long to wait for a client to recover
 * @param output {@code bench.output}: the folder results are written to
 */
record Settings(List<Scenario> scenarios, List<ClientKind> clients, @Nullable Integer repetitions, boolean quick,
		int threads, int rate, Duration recoveryLimit, Path output) {

	static Settings fromSystemProperties() {
		String scenarios = System.getProperty("bench.scenarios", "all");
		String clients = System.getProperty("bench.clients", "all");
		return new Settings(
				isAll(scenarios) ? List.of(Scenario.values())
						: Arrays.stream(scenarios.split(",")).map(Scenario::fromId).toList(),
				isAll(clients) ? List.of(ClientKind.values())
						: Arrays.stream(clients.split(",")).map(ClientKind::fromLabel).toList(),
				repetitions(System.getProperty("bench.repetitions", "")), isQuick(System.getProperty("bench.quick")),
				Integer.getInteger("bench.threads", 4),
				Integer.getInteger("bench.rate", 50),
				DurationStyle.detectAndParse(System.getProperty("bench.recovery-limit", "30s")),
				Path.of(System.getProperty("bench.output", "results")));
	}

	/** Blank (the Maven profile's default) or {@code full}: each scenario's own count. */
	private static @Nullable Integer repetitions(String value) {
		if (value.isBlank() || value.strip().equals("full")) {
			return null;
		}
		int repetitions = Integer.parseInt(value.strip());
		if (repetitions < 1) {
			throw new IllegalArgumentException("bench.repetitions must be 1 or more, not " + repetitions);
		}
		return repetitions;
	}

	/** {@code -Dbench.quick} alone means true, as does {@code -Dbench.quick=true}. */
	private static boolean isQuick(@Nullable String value) {
		return value != null && !value.strip().equals("false");
	}

	/** How often a scenario runs: once in quick mode, the override if given, else the scenario's own count. */
	int repetitions(Scenario scenario) {
		if (this.quick) {
			return 1;
		}
		return (this.repetitions != null) ? this.repetitions : scenario.fullRepetitions();
	}

	private static boolean isAll(String value) {
		return value.isBlank() || value.strip().equals("all");
	}

	Duration pace() {
		return Duration.ofNanos(1_000_000_000L / this.rate);
	}

	@Override
	public String toString() {
		String repetitions = this.quick ? "quick run (each scenario once)"
				: (this.repetitions != null) ? this.repetitions + " repetition(s) of each scenario"
						: "full run (5 repetitions, 10 for the frozen-master scenarios)";
		return repetitions + "; clients " + this.clients + "; " + this.threads + " threads x " + this.rate
				+ " ops/s per client (SET+GET of a unique key, then INCR of a counter of its own); recovery limit "
				+ this.recoveryLimit.toSeconds() + " s";
	}

}
