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
 * @param operations operations (SET, GET, INCR) completed from the disruption on
 * @param failed operations completed from the disruption on that failed
 * @param acknowledged writes the client acknowledged during the whole run
 * @param lost acknowledged writes missing or different when read back after the heal
 * @param unreadable acknowledged writes the check could not read back at all
 * @param increments the INCR ledger: acknowledged, unknown, lost and applied-twice increments
 * @param recovery from the heal to the first fully successful second, {@code null} for none within the limit
 * @param recoveryFromPromotion from the promotion to the first fully successful second, {@code null}
 * where there was no promotion or no such second within the limit
 * @param longest the longest operation, finished or not
 * @param longestUnfinished whether the longest operation was still running at the end
 * @param p99 the 99th percentile of operations completed from the disruption on
 * @param errors a sample of distinct errors
 * @param unhealthy how long the cluster itself was unhealthy (disruption to heal)
 * @param healLabel what the heal is (healed, promoted)
 * @param promoted when the failover was done, if there was one
 * @param resumed when a frozen master was woken, if it was
 * @param firstBucket the first timeline bucket, in {@link #BUCKET} steps relative to the disruption
 * @param ok successful operations per bucket, by completion time, from {@code firstBucket} on
 * @param failedPerBucket failed operations per bucket, by completion time, from {@code firstBucket} on
 */
record RunResult(Scenario scenario, int repetition, ClientKind client, @Nullable String startError, long operations,
		long failed, long acknowledged, long lost, long unreadable, LedgerCheck.Increments increments,
		@Nullable Duration recovery, @Nullable Duration recoveryFromPromotion, Duration longest,
		boolean longestUnfinished, Duration p99, List<String> errors, Duration unhealthy, String healLabel,
		@Nullable Duration promoted, @Nullable Duration resumed, int firstBucket, int[] ok, int[] failedPerBucket) {

	/** The timeline's resolution. */
	static final Duration BUCKET = Duration.ofMillis(100);

	boolean started() {
		return this.startError == null;
	}

	/** Whether the client had a fully successful second within the recovery limit after the heal. */
	boolean recovered() {
		return this.recovery != null;
	}

	static RunResult notStarted(Scenario scenario, int repetition, ClientKind client, String error, Duration unhealthy,
			String healLabel, @Nullable Duration promoted, @Nullable Duration resumed) {
		return new RunResult(scenario, repetition, client, error, 0, 0, 0, 0, 0, LedgerCheck.Increments.NONE, null, null,
				Duration.ZERO, false, Duration.ZERO, List.of(), unhealthy, healLabel, promoted, resumed, 0, new int[0],
				new int[0]);
	}

}
