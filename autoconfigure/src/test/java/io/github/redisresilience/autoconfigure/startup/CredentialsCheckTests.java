package io.github.redisresilience.autoconfigure.startup;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CredentialsCheck} and {@link RedisCredentialsRejectedFailureAnalyzer}.
 */
class CredentialsCheckTests {

	@Test
	void wrongPasswordIsFoundAmongTheSeedsSuppressedFailures() {
		RedisException failure = new RedisException("Cannot retrieve cluster partitions from [redis://10.0.0.1]");
		failure.addSuppressed(new RedisConnectionException("Unable to connect to 10.0.0.1:6379",
				new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled.")));
		assertThat(CredentialsCheck.rejection(failure)).startsWith("WRONGPASS");
	}

	@Test
	void missingPasswordIsARejection() {
		assertThat(CredentialsCheck.rejection(new RedisConnectionException("Unable to connect",
				new RedisCommandExecutionException("NOAUTH Authentication required.")))).startsWith("NOAUTH");
	}

	@Test
	void unreachableSeedsAreNoRejection() {
		RedisException failure = new RedisException("Cannot retrieve cluster partitions");
		failure.addSuppressed(new RedisConnectionException("Unable to connect to 10.0.0.1:6379"));
		assertThat(CredentialsCheck.rejection(failure)).isNull();
	}

	@Test
	void otherErrorRepliesAreNoRejection() {
		assertThat(CredentialsCheck.rejection(new RedisCommandExecutionException("LOADING Redis is loading")))
			.isNull();
	}

	@Test
	void analysisNamesThePropertiesAndQuotesOnlyRedisReply() {
		FailureAnalysis analysis = new RedisCredentialsRejectedFailureAnalyzer()
			.analyze(new IllegalStateException(new RedisCredentialsRejectedException(
					"WRONGPASS invalid username-password pair or user is disabled.", true)));
		assertThat(analysis.getDescription()).contains("spring.data.redis.username").contains("WRONGPASS");
		assertThat(analysis.getAction()).contains("spring.data.redis.password").contains("spring.data.redis.username");
	}

}
