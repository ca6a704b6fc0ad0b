package io.github.redisresilience.autoconfigure.retry;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the table of which failures are retried for which commands under each setting of
 * {@code redis.resilience.retry.ambiguous}.
 */
class RetryRulesTests {

	private static final Failure CLUSTERDOWN = new Failure(FailureKind.NOT_EXECUTED, "clusterdown");

	private static final Failure TIMEOUT = new Failure(FailureKind.AMBIGUOUS, "timeout");

	private static final Failure WRONGTYPE = new Failure(FailureKind.PERMANENT, "permanent");

	@ParameterizedTest(name = "ambiguous={0}: {2} after {1} -> {3}")
	@MethodSource("decisions")
	void decidesWhetherToRetry(AmbiguousFailureRetry setting, Failure failure, String command, boolean retried) {
		assertThat(new RetryRules(setting).mayRetry(CommandTable.kind(command), failure)).isEqualTo(retried);
	}

	static Stream<Arguments> decisions() {
		AmbiguousFailureRetry idempotent = AmbiguousFailureRetry.IDEMPOTENT_ONLY;
		return Stream.of(Arguments.of(idempotent, CLUSTERDOWN, "INCR", true),
				Arguments.of(idempotent, CLUSTERDOWN, "GET", true),
				Arguments.of(idempotent, CLUSTERDOWN, "BLPOP", false),
				Arguments.of(idempotent, CLUSTERDOWN, "EXEC", false),
				Arguments.of(idempotent, TIMEOUT, "GET", true), Arguments.of(idempotent, TIMEOUT, "SET", true),
				Arguments.of(idempotent, TIMEOUT, "INCR", false), Arguments.of(idempotent, TIMEOUT, "LPUSH", false),
				Arguments.of(idempotent, WRONGTYPE, "GET", false),
				Arguments.of(AmbiguousFailureRetry.ALL, TIMEOUT, "INCR", true),
				Arguments.of(AmbiguousFailureRetry.ALL, TIMEOUT, "BLPOP", false),
				Arguments.of(AmbiguousFailureRetry.NONE, TIMEOUT, "GET", false),
				Arguments.of(AmbiguousFailureRetry.NONE, CLUSTERDOWN, "INCR", true));
	}

}
