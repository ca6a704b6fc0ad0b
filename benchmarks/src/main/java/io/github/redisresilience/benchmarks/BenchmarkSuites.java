package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmarks profile's entry point: runs the suite {@code -Dbench.suite} names
 * ({@code resilience}, the default, {@code overhead}, {@code scale}, {@code fleet}, {@code soak} or
 * {@code all}, which runs all but the soak).
 */
public final class BenchmarkSuites {

	private BenchmarkSuites() {
	}

	public static void main(String[] args) throws Exception {
		String suite = System.getProperty("bench.suite", "resilience").strip();
		switch (suite) {
			case "resilience" -> ResilienceBenchmark.main(args);
			case "overhead" -> {
				ensureHostsFile();
				OverheadBenchmark.run(OverheadSettings.fromSystemProperties());
			}
			case "scale" -> {
				ensureHostsFile();
				ScaleBenchmark.run(ScaleSettings.fromSystemProperties());
			}
			case "fleet" -> {
				ensureHostsFile();
				FleetCostBenchmark.run(FleetCostSettings.fromSystemProperties());
			}
			case "soak" -> {
				ensureHostsFile();
				SoakResult result = SoakRun.run(SoakSettings.fromSystemProperties());
				System.exit(result.problems().isEmpty() ? 0 : 1);
			}
			case "all" -> {
				ensureHostsFile();
				OverheadBenchmark.run(OverheadSettings.fromSystemProperties());
				ScaleBenchmark.run(ScaleSettings.fromSystemProperties());
				// Last: it ends the JVM when it is done.
				ResilienceBenchmark.main(args);
			}
			default -> throw new IllegalArgumentException(
					"Unknown bench.suite '" + suite + "'; known: " + List.of("resilience", "overhead", "scale", "fleet", "soak", "all"));
		}
		// Client threads stuck on a cluster they never found again must not keep the JVM alive.
		System.exit(0);
	}

	/** The JDK fails every lookup, localhost included, while the file the property names is missing. */
	static void ensureHostsFile() throws IOException {
		String property = System.getProperty("jdk.net.hosts.file");
		if (property == null || property.isBlank()) {
			throw new IllegalStateException("Run with -Djdk.net.hosts.file=<file> -Dsun.net.inetaddr.ttl=0 "
					+ "(the benchmarks Maven profile does): the cluster's names resolve only through that file");
		}
		Path file = Path.of(property);
		if (!Files.exists(file)) {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, "127.0.0.1 localhost\n", StandardCharsets.UTF_8);
		}
	}

}
