package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReplayGuard}: which unanswered commands may be sent again.
 */
class ReplayGuardTests {

	@Test
	void readsAndIdempotentWritesMayBeReplayed() {
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.GET, "k"))).isTrue();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.SET, "k", "v"))).isTrue();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.HSET, "k", "f", "v"))).isTrue();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.DEL, "k"))).isTrue();
	}

	@Test
	void nonIdempotentWritesAreNotReplayed() {
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.INCR, "k"))).isFalse();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.INCRBY, "k", "2"))).isFalse();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.LPUSH, "k", "v"))).isFalse();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.EVALSHA, "sha", "1", "k"))).isFalse();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.EXEC))).isFalse();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.MULTI))).isFalse();
	}

	@Test
	void conditionalSetIsNotReplayed() {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey("k").addValue("v");
		SetArgs.Builder.nx().build(args);
		RedisCommand<String, String, String> setNx = new Command<>(CommandType.SET,
				new StatusOutput<>(StringCodec.UTF8), args);
		assertThat(ReplayGuard.isReplaySafe(setNx)).isFalse();
	}

	@Test
	void connectionSetupIsReplayed() {
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.HELLO, "3"))).isTrue();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.SUBSCRIBE, "news"))).isTrue();
		assertThat(ReplayGuard.isReplaySafe(command(CommandType.READONLY))).isTrue();
	}

	@Test
	void unknownCommandsAreNotReplayed() {
		ProtocolKeyword custom = new ProtocolKeyword() {
			@Override
			public byte[] getBytes() {
				return "MODULE.INCR".getBytes(StandardCharsets.US_ASCII);
			}

			@Override
			public String toString() {
				return "MODULE.INCR";
			}
		};
		assertThat(ReplayGuard.isReplaySafe(command(custom, "k"))).isFalse();
	}

	@Test
	void withReplayAllNoHandlerIsInstalled() {
		EmbeddedChannel channel = new EmbeddedChannel();
		int before = channel.pipeline().names().size();
		new ReplayGuard(ReplayPolicy.ALL).afterChannelInitialized(channel);
		assertThat(channel.pipeline().names()).hasSize(before);
		new ReplayGuard(ReplayPolicy.IDEMPOTENT_ONLY).afterChannelInitialized(channel);
		assertThat(channel.pipeline().names()).hasSize(before + 1);
		channel.finishAndReleaseAll();
	}

	@Test
	void notReplayedFailureIsAmbiguous() {
		AsyncCommand<String, String, Long> incr = new AsyncCommand<>(command(CommandType.INCR, "k"));
		incr.completeExceptionally(new RedisCommandNotReplayedException("INCR"));
		Throwable failure = incr.toCompletableFuture().handle((value, ex) -> ex).join();
		assertThat(Failure.of(failure)).isEqualTo(new Failure(FailureKind.AMBIGUOUS, "connection-lost"));
	}

	private static <T> RedisCommand<String, String, T> command(ProtocolKeyword type, String... words) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
		for (String word : words) {
			args.add(word);
		}
		@SuppressWarnings("unchecked")
		RedisCommand<String, String, T> command = (RedisCommand<String, String, T>) new Command<>(type,
				new IntegerOutput<>(StringCodec.UTF8), args);
		return command;
	}

}
