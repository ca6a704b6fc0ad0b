package io.github.redisresilience.autoconfigure.retry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts retries as {@code redis.resilience.retries}, tagged with the {@code reason} of the
 * failure retried and the {@code outcome} of the retry ({@code recovered} or {@code failed}).
 * The registry is looked up at the first retry, so connections can be decorated before the
 * metrics infrastructure exists.
 */
final class MicrometerRetryMetrics implements RetryMetrics {

	static final String METER_NAME = "redis.resilience.retries";

	static final String EXHAUSTED_METER_NAME = "redis.resilience.retries.exhausted";

	private final ObjectProvider<MeterRegistry> registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	MicrometerRetryMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void retried(String reason, boolean recovered) {
		MeterRegistry meterRegistry = this.registry.getIfUnique();
		if (meterRegistry == null) {
			return;
		}
		String outcome = recovered ? "recovered" : "failed";
		this.counters.computeIfAbsent(reason + '/' + outcome, (key) -> Counter.builder(METER_NAME)
			.description("Retries of Redis commands after transient failures")
			.tag("reason", reason)
			.tag("outcome", outcome)
			.register(meterRegistry)).increment();
	}

	@Override
	public void exhausted(String reason) {
		MeterRegistry meterRegistry = this.registry.getIfUnique();
		if (meterRegistry == null) {
			return;
		}
		this.counters.computeIfAbsent("exhausted/" + reason, (key) -> Counter.builder(EXHAUSTED_METER_NAME)
			.description("Redis commands that failed after being retried")
			.tag("reason", reason)
			.register(meterRegistry)).increment();
	}

}
