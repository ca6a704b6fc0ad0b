package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the per-command decisions of the channel retry that take no channel: command kinds,
 * decorator chains, the timeout sweep's period and a first attempt's deadline.
 */
class ChannelCommandRetryTests {

	@Test
	void everyLettuceCommandTypeHasTheKindItsNameHas() {
		for (CommandType type : CommandType.values()) {
			assertThat(CommandTable.kindOf(command(type))).as(type.toString())
				.isEqualTo(CommandTable.kind(type.toString()));
		}
	}

	@Test
	void aCustomCommandTypeIsKnownByItsName() {
		ProtocolKeyword incr = keyword("INCR");
		ProtocolKeyword get = keyword("GET");
		assertThat(CommandTable.kindOf(command(incr))).isEqualTo(CommandKind.WRITE);
		assertThat(CommandTable.kindOf(command(get))).isEqualTo(CommandKind.READ_ONLY);
	}

	@Test
	void aBlockingStreamReadIsNeverRetriedWhetherLettuceOrCustomNamedIt() {
		CommandArgs<String, String> blocking = new CommandArgs<>(StringCodec.UTF8).add("BLOCK").add(100);
		assertThat(CommandTable.kindOf(new Command<>(CommandType.XREAD, new StatusOutput<>(StringCodec.UTF8),
				blocking))).isEqualTo(CommandKind.NEVER_RETRIED);
		assertThat(CommandTable.kindOf(new Command<>(keyword("XREAD"), new StatusOutput<>(StringCodec.UTF8),
				blocking))).isEqualTo(CommandKind.NEVER_RETRIED);
		assertThat(CommandTable.kindOf(command(CommandType.XREAD))).isEqualTo(CommandKind.READ_ONLY);
	}

	@Test
	void decoratorChainsAreWalkedToTheInnermostCommand() {
		Command<String, String, String> inner = command(CommandType.GET);
		AsyncCommand<String, String, String> outer = new AsyncCommand<>(inner);
		assertThat(CommandChain.delegateOf(outer)).isSameAs(inner);
		assertThat(CommandChain.delegateOf(inner)).isNull();
	}

	@Test
	void theSweepRunsEveryTenthOfTheAttemptTimeoutWithin10To100Ms() {
		assertThat(ChannelCommandRetry.sweepPeriod(Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(10));
		assertThat(ChannelCommandRetry.sweepPeriod(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(50));
		assertThat(ChannelCommandRetry.sweepPeriod(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aFirstAttemptIsOverdueOnlyFromItsDeadlineAndWhileUnanswered() {
		ChannelCommandRetry retry = retryWithOneSecondAttempts();
		Command<String, String, String> command = command(CommandType.GET);
		Attempt<?, ?, ?> attempt = new Attempt<>(retry, command, null);
		assertThat(attempt.isOverdue(Long.MAX_VALUE)).as("no deadline yet").isFalse();
		long written = 1_000_000_000L;
		attempt.written(written);
		assertThat(attempt.isBefore(written + 999_999_999L)).isTrue();
		assertThat(attempt.isOverdue(written + 999_999_999L)).isFalse();
		assertThat(attempt.isOverdue(written + 1_000_000_000L)).isTrue();
		command.complete();
		assertThat(attempt.isOverdue(written + 2_000_000_000L)).as("answered").isFalse();
	}

	@Test
	void aFirstAttemptAnsweredCompletesItsCommandWithTheReplyOrTheError() {
		ChannelCommandRetry retry = retryWithOneSecondAttempts();
		Command<String, String, String> answered = command(CommandType.GET);
		Attempt<?, ?, ?> first = new Attempt<>(retry, answered, null);
		answered.getOutput().set(StandardCharsets.US_ASCII.encode("OK"));
		first.complete();
		assertThat(answered.isDone()).isTrue();
		assertThat(answered.getOutput().get()).isEqualTo("OK");
		Command<String, String, String> refused = command(CommandType.GET);
		Attempt<?, ?, ?> refusedFirst = new Attempt<>(retry, refused, null);
		refused.getOutput().setError("WRONGTYPE Operation against a key holding the wrong kind of value");
		refusedFirst.complete();
		assertThat(refused.isDone()).isTrue();
		assertThat(refused.getOutput().getError()).startsWith("WRONGTYPE");
	}

	private static ChannelCommandRetry retryWithOneSecondAttempts() {
		return new ChannelCommandRetry(new RedisResilienceRetryProperties(), RetryMetrics.NONE, Duration.ofSeconds(1),
				(timedOut) -> {
				});
	}

	private static Command<String, String, String> command(ProtocolKeyword type) {
		return new Command<>(type, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).addKey("k"));
	}

	private static ProtocolKeyword keyword(String name) {
		return new ProtocolKeyword() {

			@Override
			public byte[] getBytes() {
				return name.getBytes(StandardCharsets.US_ASCII);
			}

			@Override
			public String toString() {
				return name;
			}

		};
	}

}
