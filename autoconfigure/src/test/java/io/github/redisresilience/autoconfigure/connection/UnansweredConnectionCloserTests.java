package io.github.redisresilience.autoconfigure.connection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ConnectionFacade;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The closer on a channel with Lettuce's own command handler, which keeps the commands waiting for
 * a reply: commands go in as Lettuce writes them, replies as the bytes Redis sends.
 */
class UnansweredConnectionCloserTests {

	private static final Duration LIMIT = Duration.ofMillis(100);

	private static final Duration OBSERVED = LIMIT.multipliedBy(5);

	private static ClientResources resources;

	private final List<UnansweredConnectionClosedEvent> closed = new CopyOnWriteArrayList<>();

	private EmbeddedChannel channel;

	@BeforeAll
	static void createResources() {
		resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
	}

	@AfterAll
	static void shutdownResources() {
		resources.shutdown();
	}

	@AfterEach
	void closeChannel() {
		if (this.channel != null) {
			this.channel.finishAndReleaseAll();
		}
	}

	@Test
	void closesAConnectionWhoseCommandsGetNoAnswer() {
		this.channel = watchedChannel();

		this.channel.writeOutbound(command(CommandType.SET));

		awaitClosed();
		assertThat(this.closed).singleElement().satisfies((event) -> assertThat(event.silentFor()).isGreaterThan(LIMIT));
	}

	@Test
	void keepsAConnectionThatAnswers() {
		this.channel = watchedChannel();
		long deadline = System.nanoTime() + OBSERVED.toNanos();

		while (System.nanoTime() < deadline) {
			this.channel.writeOutbound(command(CommandType.SET));
			reply("+OK\r\n");
			this.channel.runScheduledPendingTasks();
		}

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void closesAConnectionFrozenMidPipeline() {
		this.channel = watchedChannel();

		// Three commands sent together; the node answers the first, then freezes.
		this.channel.writeOutbound(command(CommandType.SET), command(CommandType.SET), command(CommandType.SET));
		reply("+OK\r\n");

		awaitClosed();
		assertThat(this.closed).hasSize(1);
	}

	@Test
	void leavesAConnectionWaitingOnABlockingCommandOpen() {
		this.channel = watchedChannel();

		this.channel.writeOutbound(command(CommandType.BLPOP));

		assertStaysOpen();
	}

	@Test
	void leavesABlockingCommandQueuedBehindAnsweredCommandsOpen() {
		this.channel = watchedChannel();

		this.channel.writeOutbound(command(CommandType.SET), command(CommandType.BLPOP));
		reply("+OK\r\n");
		// Queued behind the blocking command on the server: no answer before it is served.
		this.channel.writeOutbound(command(CommandType.SET));

		assertStaysOpen();
	}

	@Test
	void closesAConnectionOnceItsBlockingCommandIsAnsweredAndTheNextIsNot() {
		this.channel = watchedChannel();
		this.channel.writeOutbound(command(CommandType.BLPOP));
		reply("+OK\r\n");

		this.channel.writeOutbound(command(CommandType.SET));

		awaitClosed();
	}

	@Test
	void leavesAnIdleConnectionOpen() {
		this.channel = watchedChannel();
		this.channel.writeOutbound(command(CommandType.SET));
		reply("+OK\r\n");

		assertStaysOpen();
	}

	private void awaitClosed() {
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.channel.runScheduledPendingTasks();
			return !this.channel.isOpen();
		});
	}

	private void assertStaysOpen() {
		long deadline = System.nanoTime() + OBSERVED.toNanos();
		while (System.nanoTime() < deadline) {
			this.channel.runScheduledPendingTasks();
		}
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.closed).isEmpty();
	}

	private void reply(String resp) {
		this.channel.writeInbound(Unpooled.copiedBuffer(resp, StandardCharsets.US_ASCII));
	}

	private EmbeddedChannel watchedChannel() {
		EmbeddedChannel channel = new EmbeddedChannel(false, false);
		ClientOptions options = ClientOptions.create();
		DefaultEndpoint endpoint = new DefaultEndpoint(options, resources);
		endpoint.setConnectionFacade(new DetachedConnection());
		channel.pipeline().addLast(new CommandHandler(options, resources, endpoint));
		new UnansweredConnectionCloser(LIMIT, this.closed::add).afterChannelInitialized(channel);
		try {
			channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return channel;
	}

	/** The endpoint tells its connection about the channel; there is no connection object here. */
	private static final class DetachedConnection implements ConnectionFacade {

		@Override
		public void activated() {
		}

		@Override
		public void deactivated() {
		}

		// Lettuce 6 also resets the connection (no @Override: Lettuce 7 dropped the method).
		public void reset() {
		}

	}

	private static Command<String, String, String> command(CommandType type) {
		return new Command<>(type, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).addKey("k"));
	}

}
