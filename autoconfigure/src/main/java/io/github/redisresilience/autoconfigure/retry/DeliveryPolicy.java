package io.github.redisresilience.autoconfigure.retry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What happens to each family of commands when its outcome is unknown (a timeout, a connection
 * lost after the command was sent), as the settings make it: {@code never} (re-sent only when
 * it certainly did not run), {@code at-least-once} (re-sent, so a non-idempotent write may
 * apply twice) or {@code exactly-once} (re-sent with a token, applied once).
 *
 * @param families the delivery of each command family, in the order shown to people
 */
public record DeliveryPolicy(Map<String, String> families) {

	private static final String NEVER = "never";

	private static final String AT_LEAST_ONCE = "at-least-once";

	private static final String EXACTLY_ONCE = "exactly-once";

	/**
	 * Create a new instance.
	 * @param families the delivery of each command family
	 */
	public DeliveryPolicy {
		families = Collections.unmodifiableMap(new LinkedHashMap<>(families));
	}

	/**
	 * The policy the retry settings make.
	 * @param settings the retry settings
	 * @return the policy
	 */
	static DeliveryPolicy of(RedisResilienceRetryProperties settings) {
		boolean retrying = settings.isEnabled() && settings.getMaxAttempts() > 1;
		boolean retriesAmbiguous = retrying && settings.getAmbiguous() != AmbiguousFailureRetry.NONE;
		Map<String, String> families = new LinkedHashMap<>();
		// Lettuce replays idempotent commands after a connection loss whatever the retry does.
		families.put("reads", AT_LEAST_ONCE);
		families.put("idempotent writes (SET, DEL, HSET, EXPIRE...)", AT_LEAST_ONCE);
		if (retrying && !settings.getExactlyOnce().isEmpty()) {
			String listed = settings.getExactlyOnce()
				.stream()
				.map(Enum::name)
				.collect(Collectors.joining(", "));
			// With ambiguous=none nothing whose outcome is unknown is re-sent, token or not.
			families.put(listed, retriesAmbiguous ? EXACTLY_ONCE : NEVER);
		}
		boolean doubles = (retrying && settings.getAmbiguous() == AmbiguousFailureRetry.ALL)
				|| settings.getReplay() == ReplayPolicy.ALL;
		families.put("other writes (INCR, LPUSH, SET NX...)", doubles ? AT_LEAST_ONCE + " (may apply twice)" : NEVER);
		families.put("transactions, pipelines, blocking commands",
				(settings.getReplay() == ReplayPolicy.ALL) ? AT_LEAST_ONCE + " (Lettuce replay)" : NEVER);
		return new DeliveryPolicy(families);
	}

	@Override
	public String toString() {
		return this.families.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ": " + entry.getValue())
			.collect(Collectors.joining("; "));
	}

}
