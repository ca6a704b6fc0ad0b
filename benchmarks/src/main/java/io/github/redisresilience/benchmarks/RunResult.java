package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one client did in one repetition of one scenario. Instants are offsets from the start of
 * the disruption.
 *
 * @param scenario the scenario
 * @param repetition which repetition, from 1
 * @param client the client
 * @param startError why the client could not start, or {@code null} if it ran
 * @param operations operations (SET then GET) started from the disruption on
 * @param failed operations started from the disruption on that failed
 * @param acknowledged writes the client acknowledged during the whole run
 * @param lost acknowledged writes missing or different when read back after the heal
 * @param unreadable acknowledged writes the check could not read back at all
 * @param recovery from the heal to the first fully successful second, {@code null} for none within the limit
 * @param longest the longest operation, finished or not
 * @param longestUnfinished whether the longest operation was still running at the end
 * @param p99 the 99th percentile of operations started from the disruption on
 * @param errors a sample of distinct errors
 * @param unhealthy how long the cluster itself was unhealthy (disruption to heal)
 * @param healLabel what the heal is (healed, promoted)
 * @param resumed when a frozen master was woken, if it was
 * @param firstSecond the second (relative to the disruption) of the first timeline entry
 * @param ok successful operations per second, by start time, from {@code firstSecond} on
 * @param failedPerSecond failed operations per second, by start time, from {@code firstSecond} on
 */
record RunResult(Scenario scenario, int repetition, ClientKind client, @Nullable String startError, long operations,
		long failed, long acknowledged, long lost, long unreadable, @Nullable Duration recovery, Duration longest,
		boolean longestUnfinished, Duration p99, List<String> errors, Duration unhealthy, String healLabel,
		@Nullable Duration resumed, int firstSecond, int[] ok, int[] failedPerSecond) {

	boolean started() {
		return this.startError == null;
	}

	static RunResult notStarted(Scenario scenario, int repetition, ClientKind client, String error, Duration unhealthy,
			String healLabel, @Nullable Duration resumed) {
		return new RunResult(scenario, repetition, client, error, 0, 0, 0, 0, 0, null, Duration.ZERO, false,
				Duration.ZERO, List.of(), unhealthy, healLabel, resumed, 0, new int[0], new int[0]);
	}

}
