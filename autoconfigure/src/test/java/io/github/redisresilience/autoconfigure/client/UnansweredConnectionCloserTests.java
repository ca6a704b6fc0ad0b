package io.github.redisresilience.autoconfigure.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

/**
 * The closer on a channel with Lettuce's own command handler, which keeps the commands waiting for
 * a reply: commands go in as Lettuce writes them, replies as the bytes Redis sends.
 * <p>
 * Time is the test's: the closer's clock and the channel's scheduler are frozen and only move when
 * a test says how long the node stays silent, so no outcome depends on how the machine schedules
 * the test's thread.
 */
class UnansweredConnectionCloserTests {

	private static final Duration LIMIT = Duration.ofMillis(100);

	private static final Duration OBSERVED = LIMIT.multipliedBy(5);

	/** Less than the limit: a node answering this late is slow, not frozen. */
	private static final Duration PROMPT = LIMIT.multipliedBy(3).dividedBy(5);

	/** Past the limit and past the next check. */
	private static final Duration TOO_LONG = LIMIT.multipliedBy(2);

	private static ClientResources resources;

	private final List<UnansweredConnectionClosedEvent> closed = new CopyOnWriteArrayList<>();

	private final AtomicLong nanoTime = new AtomicLong(TimeUnit.HOURS.toNanos(1));

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

		elapse(LIMIT);
		assertThat(this.channel.isOpen()).isTrue();
		elapse(TOO_LONG.minus(LIMIT));
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.closed).singleElement().satisfies((event) -> assertThat(event.silentFor()).isGreaterThan(LIMIT));
	}

	@Test
	void keepsAConnectionThatAnswers() {
		this.channel = watchedChannel();
		Duration elapsed = Duration.ZERO;

		while (elapsed.compareTo(OBSERVED) < 0) {
			this.channel.writeOutbound(command(CommandType.SET));
			elapse(PROMPT);
			reply("+OK\r\n");
			elapse(PROMPT);
			elapsed = elapsed.plus(PROMPT.multipliedBy(2));
		}

		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.closed).isEmpty();
	}

	@Test
	void keepsAConnectionThatAnswersWhileCommandsAreAlwaysWaiting() {
		this.channel = watchedChannel();
		this.channel.writeOutbound(command(CommandType.SET));
		Duration elapsed = Duration.ZERO;

		// Never a moment without a command waiting: the silence counts from the last answer.
		while (elapsed.compareTo(OBSERVED) < 0) {
			elapse(PROMPT);
			this.channel.writeOutbound(command(CommandType.SET));
			reply("+OK\r\n");
			elapsed = elapsed.plus(PROMPT);
		}

		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.closed).isEmpty();
	}

	@Test
	void closesAConnectionFrozenMidPipeline() {
		this.channel = watchedChannel();

		// Three commands sent together; the node answers the first, then freezes.
		this.channel.writeOutbound(command(CommandType.SET), command(CommandType.SET), command(CommandType.SET));
		elapse(PROMPT);
		reply("+OK\r\n");

		elapse(TOO_LONG);
		assertThat(this.channel.isOpen()).isFalse();
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
		elapse(TOO_LONG);
		reply("+OK\r\n");

		this.channel.writeOutbound(command(CommandType.SET));

		elapse(TOO_LONG);
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.closed).hasSize(1);
	}

	@Test
	void leavesAnIdleConnectionOpen() {
		this.channel = watchedChannel();
		this.channel.writeOutbound(command(CommandType.SET));
		reply("+OK\r\n");

		assertStaysOpen();
	}

	private void assertStaysOpen() {
		elapse(OBSERVED);
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.closed).isEmpty();
	}

	/** Lets time pass for the closer and the channel alike, then runs the checks that fell due. */
	private void elapse(Duration duration) {
		// Step by step, so each check that fell due sees the time it would have run at.
		Duration step = Duration.ofMillis(10);
		for (Duration left = duration; !left.isNegative() && !left.isZero(); left = left.minus(step)) {
			Duration next = (left.compareTo(step) < 0) ? left : step;
			this.nanoTime.addAndGet(next.toNanos());
			this.channel.advanceTimeBy(next.toNanos(), TimeUnit.NANOSECONDS);
			this.channel.runScheduledPendingTasks();
		}
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
		new UnansweredConnectionCloser(LIMIT, this.closed::add, this.nanoTime::get).afterChannelInitialized(channel);
		try {
			channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		// From here on the closer's checks fall due only when a test lets time pass.
		channel.freezeTime();
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
