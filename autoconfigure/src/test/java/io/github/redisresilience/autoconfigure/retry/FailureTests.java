package io.github.redisresilience.autoconfigure.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.util.stream.Stream;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.models.partitions.Partitions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that failures, as Lettuce raises them and as Spring Data Redis wraps them, are told
 * apart into "certainly not executed", "ambiguous" and "permanent".
 */
class FailureTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void classifiesFailure(String description, Throwable failure, FailureKind kind, String reason) {
		Failure classified = Failure.of(failure);
		assertThat(classified.kind()).isEqualTo(kind);
		assertThat(classified.reason()).isEqualTo(reason);
	}

	static Stream<Arguments> failures() {
		return Stream.of(
				Arguments.of("CLUSTERDOWN", errorReply("CLUSTERDOWN The cluster is down"), FailureKind.NOT_EXECUTED,
						"clusterdown"),
				Arguments.of("TRYAGAIN", errorReply("TRYAGAIN Multiple keys request during rehashing of slot"),
						FailureKind.NOT_EXECUTED, "tryagain"),
				Arguments.of("LOADING", errorReply("LOADING Redis is loading the dataset in memory"),
						FailureKind.NOT_EXECUTED, "loading"),
				Arguments.of("MASTERDOWN", errorReply("MASTERDOWN Link with MASTER is down"), FailureKind.NOT_EXECUTED,
						"masterdown"),
				Arguments.of("READONLY", errorReply("READONLY You can't write against a read only replica."),
						FailureKind.NOT_EXECUTED, "readonly"),
				Arguments.of("WRONGTYPE", errorReply("WRONGTYPE Operation against a key holding the wrong kind of value"),
						FailureKind.PERMANENT, "permanent"),
				Arguments.of("no partition for slot",
						new RedisSystemException("Redis exception",
								new PartitionSelectorException("Cannot determine a partition for slot 12.", new Partitions())),
						FailureKind.NOT_EXECUTED, "no-partition"),
				Arguments.of("connect refused",
						new RedisConnectionFailureException("Redis connection failed",
								new RedisConnectionException("Unable to connect", new ConnectException("refused"))),
						FailureKind.NOT_EXECUTED, "connect"),
				Arguments.of("not connected, rejected",
						new RedisSystemException("Redis exception",
								new RedisException("Currently not connected. Commands are rejected.")),
						FailureKind.NOT_EXECUTED, "not-connected"),
				Arguments.of("connection is closed",
						new RedisSystemException("Redis exception", new RedisException("Connection is closed")),
						FailureKind.NOT_EXECUTED, "not-connected"),
				Arguments.of("timeout",
						new QueryTimeoutException("Redis command timed out",
								new RedisCommandTimeoutException("Command timed out after 2 second(s)")),
						FailureKind.AMBIGUOUS, "timeout"),
				Arguments.of("connection closed with commands in flight",
						new RedisSystemException("Redis exception", new RedisException("Connection closed")),
						FailureKind.AMBIGUOUS, "connection-lost"),
				Arguments.of("connection reset",
						new RedisSystemException("Redis exception", new IOException("Connection reset by peer")),
						FailureKind.AMBIGUOUS, "connection-lost"),
				Arguments.of("a bug", new IllegalStateException("boom"), FailureKind.PERMANENT, "permanent"));
	}

	private static Throwable errorReply(String message) {
		return new RedisSystemException("Error in execution", new RedisCommandExecutionException(message));
	}

}
