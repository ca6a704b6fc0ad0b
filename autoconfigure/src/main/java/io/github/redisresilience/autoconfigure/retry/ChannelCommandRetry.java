package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.DecoratedCommand;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;

/**
 * Retries Redis commands where Lettuce dispatches them, below Spring Data: every channel gets an
 * outbound handler right after Lettuce's {@code CommandHandler} (outbound writes pass it first)
 * that puts each command Lettuce routed by slot into a first {@link Attempt}. Spring Data's
 * factory, connections and native connections stay exactly what they are; blocking,
 * asynchronous and reactive commands all reach the channel the same way, so one mechanism
 * serves them all.
 * <p>
 * Not wrapped: commands not routed by a cluster connection (the starter's own topology reads,
 * node connections asked for by id), and commands that are never retried
 * ({@link CommandTable}). Delays come from Spring Framework's {@link RetryPolicy} backoff and
 * are scheduled on Lettuce's event executors, never slept on an event loop.
 */
final class ChannelCommandRetry implements NettyCustomizer {

	private static final Log logger = LogFactory.getLog(ChannelCommandRetry.class);

	private static final Map<ProtocolKeyword, CommandKind> KINDS = new ConcurrentHashMap<>();

	private final RedisResilienceRetryProperties settings;

	private final RetryRules rules;

	private final RetryPolicy policy;

	private final RetryMetrics metrics;

	private final TokenScript tokenScript;

	private final Duration attemptTimeout;

	private final Handler handler = new Handler();

	ChannelCommandRetry(RedisResilienceRetryProperties settings, RetryMetrics metrics, Duration attemptTimeout) {
		this.settings = settings;
		this.rules = new RetryRules(settings.getAmbiguous());
		this.metrics = metrics;
		this.attemptTimeout = attemptTimeout;
		this.tokenScript = new TokenScript(settings.getExactlyOnce(), settings.getExactlyOnceTtl());
		this.policy = RetryPolicy.builder()
			.maxRetries(settings.getMaxAttempts() - 1L)
			.delay(settings.getInitialBackoff())
			.multiplier(settings.getMultiplier())
			.maxDelay(settings.getMaxBackoff())
			// Spring's backoff scales an absolute jitter with the delay: against the first delay it
			// varies every delay by the configured fraction.
			.jitter(Duration.ofMillis((long) (settings.getInitialBackoff().toMillis() * settings.getJitter())))
			.timeout(settings.getBudget())
			.build();
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		String commandHandler = channel.pipeline().context(CommandHandler.class) != null
				? channel.pipeline().context(CommandHandler.class).name() : null;
		if (commandHandler != null) {
			channel.pipeline().addAfter(commandHandler, "redisResilienceCommandRetry", this.handler);
		}
	}

	RedisResilienceRetryProperties settings() {
		return this.settings;
	}

	RetryRules rules() {
		return this.rules;
	}

	RetryPolicy policy() {
		return this.policy;
	}

	RetryMetrics metrics() {
		return this.metrics;
	}

	TokenScript tokenScript() {
		return this.tokenScript;
	}

	@Nullable RedisChannelWriter writerOf(RedisCommand<?, ?, ?> routed) {
		return ClusterWriters.of(routed);
	}

	/**
	 * The command to write in place of one that reaches a channel.
	 * @param command the command written
	 * @param ctx the handler's context
	 * @return a first attempt, or the command itself when it is not retried here
	 */
	RedisCommand<?, ?, ?> firstAttempt(RedisCommand<?, ?, ?> command, ChannelHandlerContext ctx) {
		RedisCommand<?, ?, ?> routed = null;
		RedisCommand<?, ?, ?> current = command;
		while (true) {
			if (current instanceof Attempt<?, ?, ?>) {
				return command;
			}
			if (routed == null && ClusterWriters.isRouted(current)) {
				routed = current;
			}
			if (!(current instanceof DecoratedCommand<?, ?, ?> decorated)) {
				break;
			}
			current = decorated.getDelegate();
		}
		if (routed == null || command.isDone() || kindOf(command) == CommandKind.NEVER_RETRIED) {
			return command;
		}
		byte[] tokenKey = this.tokenScript.isEnabled() ? this.tokenScript.tokenKeyFor(command) : null;
		Attempt<?, ?, ?> attempt = new RetriedCall(this, command, routed, tokenKey).firstAttempt();
		attempt.expireAfter(ctx.executor(), this.attemptTimeout);
		return attempt;
	}

	/**
	 * What repeating a command would do, from its name (cached) and, for the few commands whose
	 * arguments decide it, from its arguments.
	 */
	static CommandKind kindOf(RedisCommand<?, ?, ?> command) {
		CommandKind kind = KINDS.computeIfAbsent(command.getType(), (type) -> CommandTable.kind(type.toString()));
		if (kind == CommandKind.NEVER_RETRIED) {
			return kind;
		}
		String name = command.getType().toString();
		if ((name.equals("XREAD") || name.equals("XREADGROUP")) && hasWord(command.getArgs(), "BLOCK")) {
			return CommandKind.NEVER_RETRIED;
		}
		return kind;
	}

	/**
	 * The kind for deciding on an ambiguous failure: a SET with NX, XX or GET is not idempotent.
	 */
	static CommandKind ambiguousKindOf(RedisCommand<?, ?, ?> command) {
		CommandKind kind = kindOf(command);
		return (kind.isIdempotent() && !ReplayGuard.isReplaySafe(command)) ? CommandKind.WRITE : kind;
	}

	private static boolean hasWord(@Nullable CommandArgs<?, ?> args, String word) {
		if (args == null) {
			return false;
		}
		for (String part : args.toCommandString().split(" ")) {
			if (part.toUpperCase(Locale.ROOT).equals(word)) {
				return true;
			}
		}
		return false;
	}

	void logRetry(String command, Failure failure, int attempt, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Retrying " + command + " (retry " + attempt + " of at most "
					+ (this.settings.getMaxAttempts() - 1) + ") after a " + failure.kind() + " failure ("
					+ failure.reason() + "): " + cause.getMessage());
		}
	}

	/**
	 * The commands of a batch, each in a first attempt where it would be alone. Lettuce writes the
	 * commands it buffered while disconnected as one batch when it reconnects, and a node that has
	 * just woken up or been demoted can answer them with errors that ran nothing (seen: a frozen
	 * master woken at its failover); a pipeline flushed as a batch is indistinguishable here, so
	 * its commands are retried one by one too.
	 */
	private List<Object> firstAttempts(Collection<?> batch, ChannelHandlerContext ctx) {
		List<Object> attempts = new ArrayList<>(batch.size());
		for (Object message : batch) {
			attempts.add((message instanceof RedisCommand<?, ?, ?> command) ? firstAttempt(command, ctx) : message);
		}
		return attempts;
	}

	/**
	 * Puts single commands into a first attempt; stateless, so one instance serves every channel.
	 */
	@Sharable
	private final class Handler extends ChannelOutboundHandlerAdapter {

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof RedisCommand<?, ?, ?> command) {
				ctx.write(firstAttempt(command, ctx), promise);
				return;
			}
			// Lettuce writes a batch of one as a single command.
			if (msg instanceof List<?> batch && batch.size() == 1 && batch.get(0) instanceof RedisCommand<?, ?, ?> one) {
				ctx.write(firstAttempt(one, ctx), promise);
				return;
			}
			if (msg instanceof Collection<?> batch) {
				ctx.write(firstAttempts(batch, ctx), promise);
				return;
			}
			ctx.write(msg, promise);
		}

	}

}
