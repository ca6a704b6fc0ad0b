package io.github.redisresilience.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import io.github.redisresilience.benchmarks.ClientKind.RunningClient;

/**
 * One cold start, in a JVM of its own that {@link StartupTimer} launches: starts a client of the
 * kind its first argument names against the seeds in its second, runs one write and read, and
 * prints how long each step took on one line for the parent to read.
 */
public final class StartupProbe {

	static final String PREFIX = "startup-probe ";

	private StartupProbe() {
	}

	public static void main(String[] args) throws Exception {
		ClientKind kind = ClientKind.fromLabel(args[0]);
		String seeds = args[1];
		long began = System.nanoTime();
		RunningClient client = kind.start(seeds);
		long started = System.nanoTime();
		client.operations().write("startup-probe:{" + kind.label() + "}", "ok");
		String read = client.operations().read("startup-probe:{" + kind.label() + "}");
		long firstOperation = System.nanoTime();
		long sinceJvmStart = ManagementFactory.getRuntimeMXBean().getUptime();
		if (!"ok".equals(read)) {
			throw new IllegalStateException("Read back " + read + " instead of ok");
		}
		System.out.printf(Locale.ROOT, PREFIX + "context=%.1f first-operation=%.1f jvm-to-first-operation=%d%n",
				(started - began) / 1e6, (firstOperation - started) / 1e6, sinceJvmStart);
		System.out.flush();
		client.closer().close();
		System.exit(0);
	}

}
