package io.github.redisresilience.autoconfigure.retry;

/**
 * Counts retries. The Micrometer implementation is used when Micrometer is on the class path
 * and a {@code MeterRegistry} bean exists; otherwise retries are only logged.
 */
@FunctionalInterface
interface RetryMetrics {

	/** Metrics that count nothing. */
	RetryMetrics NONE = (reason, recovered) -> {
	};

	/**
	 * Count one retry attempt once its outcome is known.
	 * @param reason the reason of the failure that caused the retry, such as {@code clusterdown}
	 * @param recovered whether this retry succeeded
	 */
	void retried(String reason, boolean recovered);

	/**
	 * Count one command that failed after it was retried: its attempts or its time budget ran out,
	 * or its last failure may not be retried.
	 * @param reason the reason of the last failure
	 */
	default void exhausted(String reason) {
	}

}
