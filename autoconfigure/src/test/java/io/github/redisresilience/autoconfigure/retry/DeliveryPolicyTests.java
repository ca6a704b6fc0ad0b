package io.github.redisresilience.autoconfigure.retry;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeliveryPolicy}: the delivery each family gets, as people read it.
 */
class DeliveryPolicyTests {

	@Test
	void defaultsNeverResendNonIdempotentWrites() {
		DeliveryPolicy policy = DeliveryPolicy.of(new RedisResilienceRetryProperties());
		assertThat(policy.families()).containsEntry("reads", "at-least-once")
			.containsEntry("idempotent writes (SET, DEL, HSET, EXPIRE...)", "at-least-once")
			.containsEntry("other writes (INCR, LPUSH, SET NX...)", "never")
			.containsEntry("transactions, pipelines, blocking commands", "never")
			.hasSize(4);
	}

	@Test
	void listedFamiliesRunExactlyOnce() {
		RedisResilienceRetryProperties settings = new RedisResilienceRetryProperties();
		settings.setExactlyOnce(Set.of(ExactlyOnceCommand.INCR));
		assertThat(DeliveryPolicy.of(settings).families()).containsEntry("INCR", "exactly-once");
		assertThat(DeliveryPolicy.of(settings).toString()).contains("INCR: exactly-once");
	}

	@Test
	void exactlyOnceNeedsTheRetry() {
		RedisResilienceRetryProperties settings = new RedisResilienceRetryProperties();
		settings.setExactlyOnce(Set.of(ExactlyOnceCommand.INCR));
		settings.setEnabled(false);
		assertThat(DeliveryPolicy.of(settings).families()).doesNotContainKey("INCR");
	}

	@Test
	void retryingAmbiguousFailuresOfAllCommandsOrReplayingAllMayApplyTwice() {
		RedisResilienceRetryProperties all = new RedisResilienceRetryProperties();
		all.setAmbiguous(AmbiguousFailureRetry.ALL);
		assertThat(DeliveryPolicy.of(all).families()).containsEntry("other writes (INCR, LPUSH, SET NX...)",
				"at-least-once (may apply twice)");
		RedisResilienceRetryProperties replay = new RedisResilienceRetryProperties();
		replay.setReplay(ReplayPolicy.ALL);
		assertThat(DeliveryPolicy.of(replay).families())
			.containsEntry("transactions, pipelines, blocking commands", "at-least-once (Lettuce replay)");
	}

}
