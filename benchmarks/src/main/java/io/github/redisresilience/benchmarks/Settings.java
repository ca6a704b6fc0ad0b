package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the benchmark runs, from system properties (the Maven profile passes them on).
 *
 * @param scenarios {@code bench.scenarios}: scenario ids, comma-separated, or {@code all}
 * @param clients {@code bench.clients}: client labels, comma-separated, or {@code all}
 * @param repetitions {@code bench.repetitions}: how often each scenario runs
 * @param threads {@code bench.threads}: workload threads per client
 * @param rate {@code bench.rate}: operations per second per thread
 * @param recoveryLimit {@code bench.recovery-limit}: how long to wait for a client to recover
 * @param output {@code bench.output}: the folder results are written to
 */
record Settings(List<Scenario> scenarios, List<ClientKind> clients, int repetitions, int threads, int rate,
		Duration recoveryLimit, Path output) {

	static Settings fromSystemProperties() {
		String scenarios = System.getProperty("bench.scenarios", "all");
		String clients = System.getProperty("bench.clients", "all");
		return new Settings(
				isAll(scenarios) ? List.of(Scenario.values())
						: Arrays.stream(scenarios.split(",")).map(Scenario::fromId).toList(),
				isAll(clients) ? List.of(ClientKind.values())
						: Arrays.stream(clients.split(",")).map(ClientKind::fromLabel).toList(),
				Integer.getInteger("bench.repetitions", 2), Integer.getInteger("bench.threads", 4),
				Integer.getInteger("bench.rate", 50),
				DurationStyle.detectAndParse(System.getProperty("bench.recovery-limit", "30s")),
				Path.of(System.getProperty("bench.output", "target/benchmark-results")));
	}

	private static boolean isAll(String value) {
		return value.isBlank() || value.strip().equals("all");
	}

	Duration pace() {
		return Duration.ofNanos(1_000_000_000L / this.rate);
	}

	@Override
	public String toString() {
		return this.repetitions + " repetition(s) of " + this.scenarios + " with " + this.clients + "; "
				+ this.threads + " threads x " + this.rate + " ops/s per client (SET+GET of unique keys); recovery limit "
				+ this.recoveryLimit.toSeconds() + " s";
	}

}
