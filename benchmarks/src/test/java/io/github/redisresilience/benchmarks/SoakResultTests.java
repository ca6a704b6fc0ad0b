package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's trend judgement on samples made up here: what grows is found, what stays flat
 * passes, and what cannot be judged fails the run without counting as growth.
 */
class SoakResultTests {

	private static final Instant START = Instant.parse("2026-12-05T12:00:00Z");

	private static final Duration DURATION = Duration.ofMinutes(10);

	private static final Duration WARM_UP = Duration.ofMinutes(1);

	/** A sample every 5 s, as the soak takes them. */
	private static final int SAMPLES = (int) (DURATION.toSeconds() / 5);

	@Test
	void connectionsFlatOverTheRunPass() {
		SoakResult result = result((i) -> 20, (i) -> 6);
		assertThat(result.grown()).isEmpty();
		assertThat(result.problems()).isEmpty();
	}

	@Test
	void connectionsGrowingOverTheRunAreFound() {
		SoakResult result = result((i) -> 20 + i / 4, (i) -> 6);
		assertThat(result.grown()).contains(SoakResource.CLIENT_CONNECTIONS, SoakResource.SERVER_CLIENTS);
		assertThat(result.problems()).anyMatch((problem) -> problem.startsWith(SoakResource.CLIENT_CONNECTIONS.label()));
	}

	@Test
	void connectionsAreComparedAtTheClusterSUsualSizeOnly() {
		// A scale-out to eight pods during the last third brings more connections, not a leak.
		int lastThirdStart = SAMPLES - (SAMPLES - (int) (WARM_UP.toSeconds() / 5)) / 3;
		IntUnaryOperator pods = (i) -> (i >= lastThirdStart && i < lastThirdStart + 8) ? 8 : 6;
		SoakResult result = result((i) -> (pods.applyAsInt(i) == 8) ? 30 : 20, pods);
		assertThat(result.grown()).isEmpty();
		assertThat(result.problems()).isEmpty();
	}

	@Test
	void aThirdWithoutSamplesAtTheUsualSizeFailsTheRunWithoutCountingAsGrowth() {
		// The first third spent entirely scaled out: nothing to compare the last third with.
		int warmUpSamples = (int) (WARM_UP.toSeconds() / 5);
		int firstThirdEnd = warmUpSamples + (SAMPLES - warmUpSamples) / 3;
		SoakResult result = result((i) -> 20 + i, (i) -> (i >= warmUpSamples && i < firstThirdEnd) ? 8 : 6);
		assertThat(result.grown()).as("a leak the control could claim").doesNotContain(SoakResource.CLIENT_CONNECTIONS);
		int lastThirdSamples = (SAMPLES - warmUpSamples) / 3;
		assertThat(result.problems()).contains(SoakResource.CLIENT_CONNECTIONS.label() + ": not judged: 0 and "
				+ lastThirdSamples + " samples in the thirds");
	}

	/**
	 * A passing run's result but for its samples.
	 * @param connections the connections (the JVM's and the servers' count alike) of the i-th sample
	 * @param pods the running pods at the i-th sample
	 */
	private static SoakResult result(IntUnaryOperator connections, IntUnaryOperator pods) {
		List<SoakSample> samples = new ArrayList<>();
		for (int i = 0; i < SAMPLES; i++) {
			long count = connections.applyAsInt(i);
			samples.add(new SoakSample(START.plusSeconds(5L * i), 20L << 20, 30, 130, 6L << 20, 6L << 20, count, count,
					9, 7, 0, 10, pods.applyAsInt(i)));
		}
		SoakSettings settings = new SoakSettings(DURATION, WARM_UP, 1, Duration.ofSeconds(20), Duration.ofSeconds(60), 4,
				Duration.ofMillis(20), Duration.ofSeconds(5), false, "soak-test", Path.of("target"));
		LedgerCheck.Verdict ledger = new LedgerCheck.Verdict(100, 0, 0, LedgerCheck.Increments.NONE);
		return new SoakResult(settings, "7.0.15", START, START.plus(DURATION), List.of(), List.of(), samples, ledger, 100,
				Map.of(), 0, 0, Duration.ofSeconds(10), true, List.of());
	}

}
