package io.github.redisresilience.autoconfigure.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps Lettuce from replaying a non-idempotent command that was in flight when its connection
 * was lost.
 * <p>
 * When a channel closes, Lettuce's {@link CommandHandler} moves the commands it sent and still
 * waits for into the endpoint's replay buffer and writes them again after the reconnect; in a
 * cluster a closed node connection hands them to another node. Lettuce's own
 * {@code ClientOptions#replayFilter} is not consulted on that path (only for commands issued
 * while disconnected, which never reached Redis and are safe to send), and Spring Data drops it
 * anyway whenever {@code spring.data.redis.cluster.max-redirects} is set
 * ({@code ClusterClientOptions#mutate()} does not copy it). So this handler sits at the head of
 * every channel's pipeline and sees {@code channelInactive} before Lettuce's handler: it fails
 * the sent, unanswered commands that are not safe to apply twice with a
 * {@link RedisCommandNotReplayedException}, and Lettuce skips commands that are done when it
 * replays. Idempotent ones replay as before.
 * <p>
 * Nothing is done per command while the connection is up: the cost is one pass over the
 * unanswered commands when a connection drops.
 */
final class ReplayGuard implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(ReplayGuard.class);

	/**
	 * Commands that set up or describe the connection itself: Lettuce sends them again on every
	 * connection anyway (handshake, resubscription), so replaying them applies nothing twice.
	 */
	private static final Set<String> SESSION = Set.of("AUTH", "HELLO", "SELECT", "CLIENT", "READONLY", "READWRITE",
			"ASKING", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "QUIT",
			"COMMAND");

	/**
	 * SET options under which a repeat answers differently: the first attempt may have set the key
	 * ({@code NX}, {@code XX}), or its reply is the value the first attempt replaced ({@code GET}).
	 */
	private static final Set<String> CONDITIONAL_SET = Set.of("NX", "XX", "GET");

	private final Handler handler = new Handler();

	private final ReplayPolicy policy;

	ReplayGuard(ReplayPolicy policy) {
		this.policy = policy;
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		if (this.policy == ReplayPolicy.ALL) {
			return;
		}
		// Inbound events travel from the head: this handler sees the channel close before
		// Lettuce's CommandHandler drains its stack into the replay buffer.
		channel.pipeline().addFirst(this.handler);
	}

	/**
	 * Whether a command that may already have been applied can be sent again.
	 * @param command a command sent and not answered
	 * @return {@code true} if applying it twice leaves what applying it once does
	 */
	static boolean isReplaySafe(RedisCommand<?, ?, ?> command) {
		String name = command.getType().toString().toUpperCase(Locale.ROOT);
		if (SESSION.contains(name)) {
			return true;
		}
		CommandKind kind = CommandTable.kind(name);
		if (!kind.isIdempotent()) {
			return false;
		}
		return !name.equals("SET") || !hasConditionalOption(command.getArgs());
	}

	private static boolean hasConditionalOption(CommandArgs<?, ?> args) {
		if (args == null) {
			return false;
		}
		// Only read when a connection drops, so the string form's cost does not matter.
		for (String word : args.toCommandString().split(" ")) {
			if (CONDITIONAL_SET.contains(word.toUpperCase(Locale.ROOT))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Fails the unsafe commands of a closing channel; stateless, so one instance serves every
	 * channel.
	 */
	@Sharable
	private static final class Handler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			CommandHandler commands = ctx.pipeline().get(CommandHandler.class);
			if (commands != null) {
				failUnsafe(commands);
			}
			super.channelInactive(ctx);
		}

		private void failUnsafe(CommandHandler commands) {
			// A copy: completing a command runs its callbacks, which may write to this channel.
			List<RedisCommand<?, ?, ?>> sent = new ArrayList<>(commands.getStack());
			int failed = 0;
			for (RedisCommand<?, ?, ?> command : sent) {
				if (!command.isDone() && !isReplaySafe(command)) {
					command.completeExceptionally(new RedisCommandNotReplayedException(command.getType().toString()));
					failed++;
				}
			}
			if (failed > 0 && logger.isDebugEnabled()) {
				logger.debug("Connection lost with " + sent.size() + " command(s) unanswered; " + failed
						+ " non-idempotent one(s) failed instead of being replayed");
			}
		}

	}

}
