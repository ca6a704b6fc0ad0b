package io.github.redisresilience.autoconfigure.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UnansweredConnectionCloserTests {

	private static final Duration LIMIT = Duration.ofMillis(100);

	private static final List<UnansweredConnectionClosedEvent> CLOSED = new CopyOnWriteArrayList<>();

	@Test
	void closesAConnectionWhoseCommandsGetNoAnswer() {
		EmbeddedChannel channel = watchedChannel();

		channel.writeOutbound(command(CommandType.SET));

		await().atMost(Duration.ofSeconds(5)).until(() -> {
			channel.runScheduledPendingTasks();
			return !channel.isOpen();
		});
		assertThat(CLOSED).anyMatch((event) -> event.silentFor().compareTo(LIMIT) > 0);
	}

	@Test
	void keepsAConnectionThatAnswers() {
		EmbeddedChannel channel = watchedChannel();
		long deadline = System.nanoTime() + LIMIT.multipliedBy(5).toNanos();

		while (System.nanoTime() < deadline) {
			channel.writeOutbound(command(CommandType.GET));
			channel.writeInbound(Unpooled.wrappedBuffer("+OK\r\n".getBytes()));
			channel.runScheduledPendingTasks();
		}

		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void leavesAConnectionWaitingOnABlockingCommandOpen() {
		EmbeddedChannel channel = watchedChannel();
		channel.writeOutbound(command(CommandType.BLPOP));
		long deadline = System.nanoTime() + LIMIT.multipliedBy(5).toNanos();

		while (System.nanoTime() < deadline) {
			channel.runScheduledPendingTasks();
		}

		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void leavesAnIdleConnectionOpen() {
		EmbeddedChannel channel = watchedChannel();
		long deadline = System.nanoTime() + LIMIT.multipliedBy(5).toNanos();

		while (System.nanoTime() < deadline) {
			channel.runScheduledPendingTasks();
		}

		assertThat(channel.isOpen()).isTrue();
	}

	private static EmbeddedChannel watchedChannel() {
		EmbeddedChannel channel = new EmbeddedChannel(false, false);
		new UnansweredConnectionCloser(LIMIT, CLOSED::add).afterChannelInitialized(channel);
		try {
			channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return channel;
	}

	private static Command<String, String, String> command(CommandType type) {
		return new Command<>(type, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).addKey("k"));
	}

}
