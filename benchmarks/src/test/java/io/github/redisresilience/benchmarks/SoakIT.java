package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak for five minutes, with the judgements of the hour-long run: the ledger exact, no
 * operation failed within the retry budget, every resource flat, recovery not growing. Runs in
 * the {@code chaos} profile only; the schedule's seed is fixed, so that every run applies the same
 * disruptions.
 */
class SoakIT {

	/**
	 * A schedule whose first eight disruptions are one of each kind, with short gaps: password
	 * rotation, master replaced, all pods moved, master frozen, scale-out, scale-in, rolling move,
	 * node loss (five minutes hold eight to ten). The scale-out comes late enough and the scale-in
	 * early enough that the first and the last third both hold samples at the cluster's usual size,
	 * where what follows the cluster's size is judged.
	 */
	private static final long SEED = 257556;

	@BeforeAll
	static void hostsFile() throws Exception {
		BenchmarkSuites.ensureHostsFile();
	}

	@Test
	void fiveMinutesOfDisruptionsLeaveNothingBehind() throws Exception {
		SoakResult result = SoakRun.run(settings(Duration.ofMinutes(5), false, "soak-five-minutes"));
		assertThat(result.disruptionCounts().values()).as("kinds of disruption applied")
			.filteredOn((count) -> count > 0)
			.hasSizeGreaterThanOrEqualTo(6);
		assertThat(result.problems()).as("what the soak judged wrong").isEmpty();
	}

	/**
	 * The negative control: three connections kept open per topology change the starter applies
	 * must make the trend judgement fail on the client's connections.
	 */
	@Test
	void controlALeakedConnectionPerTopologyChangeFailsTheTrend() throws Exception {
		SoakResult result = SoakRun.run(settings(Duration.ofMinutes(4), true, "soak-leaking"));
		assertThat(result.grown()).as("resources judged as growing").contains(SoakResource.CLIENT_CONNECTIONS);
	}

	private static SoakSettings settings(Duration duration, boolean leak, String name) {
		// Shorter gaps than the hour's (20-60 s), so that five minutes hold one disruption of each kind.
		return new SoakSettings(duration, Duration.ofSeconds(60), SEED, Duration.ofSeconds(15), Duration.ofSeconds(30), 4,
				Duration.ofMillis(20), Duration.ofSeconds(5), leak, name,
				Path.of(System.getProperty("bench.results", "target/soak")));
	}

}
