package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.cluster.SlotHash;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Runs counters and appends exactly once, so that they can be retried after an ambiguous
 * failure (a timeout on a frozen master, a connection lost after the write) and replayed by
 * Lettuce without being applied twice.
 * <p>
 * Each call gets a random 128-bit token, kept across its retries. One Lua script applies the
 * command only if the token is unseen, and stores the command's reply under a token key with a
 * time to live; a repeat with the same token returns the stored reply instead of applying the
 * command again. The token key carries the command key's hash tag (or the whole key as its
 * tag), so both live in the same hash slot, on the same node, and the script, which Redis runs
 * atomically and replicates as one unit (its effects wrapped in MULTI/EXEC), writes both or
 * neither: a replica promoted after a failover has the token exactly when it has the effect.
 * <p>
 * The script is sent with EVALSHA, and with EVAL when the node answers NOSCRIPT (a restarted or
 * new node), which loads it there. A key whose token key would land in another slot (a key
 * with braces that do not make a hash tag, such as {@code a{}b}) runs as a plain command under
 * the ordinary policy, and the reason is logged once per command family.
 */
final class ExactlyOnce {

	private static final Log logger = LogFactory.getLog(ExactlyOnce.class);

	/** KEYS[1] the command's key, KEYS[2] the token key; ARGV[1] TTL ms, ARGV[2] command, ARGV[3..] its arguments. */
	static final String SCRIPT = """
			local seen = redis.call('GET', KEYS[2])
			if seen then return seen end
			local reply = redis.call(ARGV[2], KEYS[1], unpack(ARGV, 3))
			if type(reply) == 'number' then reply = string.format('%d', reply) end
			redis.call('SET', KEYS[2], reply, 'PX', ARGV[1])
			return reply
			""";

	private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);

	static final String SHA = sha1(SCRIPT_BYTES);

	private static final byte[] TOKEN_KEY_PREFIX = "__eo:".getBytes(StandardCharsets.US_ASCII);

	private final Set<ExactlyOnceCommand> commands;

	private final byte[] ttlMillis;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	ExactlyOnce(Set<ExactlyOnceCommand> commands, Duration ttl) {
		this.commands = commands.isEmpty() ? EnumSet.noneOf(ExactlyOnceCommand.class) : EnumSet.copyOf(commands);
		this.ttlMillis = ascii(Long.toString(ttl.toMillis()));
	}

	boolean isEnabled() {
		return !this.commands.isEmpty();
	}

	/**
	 * Prepare a Spring Data connection call to run exactly once.
	 * @param method the connection method called
	 * @param args its arguments
	 * @return the call with its token, or {@code null} to run it as a plain command
	 */
	@Nullable Call prepare(Method method, @Nullable Object @Nullable [] args) {
		ExactlyOnceCommand command = commandOf(method, args);
		if (command == null || !this.commands.contains(command) || args == null
				|| !(args[0] instanceof byte[] key)) {
			return null;
		}
		byte[] tokenKey = tokenKey(key);
		if (SlotHash.getSlot(tokenKey) != SlotHash.getSlot(key)) {
			if (this.warned.add(command.name())) {
				logger.warn(command + " runs without exactly-once on keys whose braces do not form a hash tag (such as "
						+ "a{}b): no token key can share their slot; it follows redis.resilience.retry.ambiguous instead");
			}
			return null;
		}
		List<byte[]> keysAndArgs = new ArrayList<>();
		keysAndArgs.add(key);
		keysAndArgs.add(tokenKey);
		keysAndArgs.add(this.ttlMillis);
		keysAndArgs.add(ascii(command.name()));
		for (int i = 1; i < args.length; i++) {
			addArgument(keysAndArgs, args[i]);
		}
		return new Call(command, keysAndArgs.toArray(new byte[0][]));
	}

	/**
	 * The command a Spring Data method sends, if it is one of the families; the overloads with
	 * a {@code double} send the FLOAT variants.
	 */
	static @Nullable ExactlyOnceCommand commandOf(Method method, @Nullable Object @Nullable [] args) {
		boolean floating = args != null && args.length > 1 && args[args.length - 1] instanceof Double;
		return switch (method.getName()) {
			case "incr" -> ExactlyOnceCommand.INCR;
			case "incrBy" -> floating ? ExactlyOnceCommand.INCRBYFLOAT : ExactlyOnceCommand.INCRBY;
			case "decr" -> ExactlyOnceCommand.DECR;
			case "decrBy" -> ExactlyOnceCommand.DECRBY;
			case "hIncrBy" -> floating ? ExactlyOnceCommand.HINCRBYFLOAT : ExactlyOnceCommand.HINCRBY;
			case "zIncrBy" -> ExactlyOnceCommand.ZINCRBY;
			case "lPush" -> ExactlyOnceCommand.LPUSH;
			case "rPush" -> ExactlyOnceCommand.RPUSH;
			default -> null;
		};
	}

	private static void addArgument(List<byte[]> target, @Nullable Object arg) {
		if (arg instanceof byte[] bytes) {
			target.add(bytes);
		}
		else if (arg instanceof byte[][] values) {
			target.addAll(List.of(values));
		}
		else {
			target.add(ascii(String.valueOf(arg)));
		}
	}

	/**
	 * The token key of one call: {@code __eo:{tag}:token}, where the tag is the key's hash tag
	 * if it has one and the whole key otherwise.
	 */
	static byte[] tokenKey(byte[] key) {
		byte[] tag = hashTag(key);
		byte[] token = ascii(token());
		byte[] tokenKey = new byte[TOKEN_KEY_PREFIX.length + tag.length + 3 + token.length];
		int at = 0;
		System.arraycopy(TOKEN_KEY_PREFIX, 0, tokenKey, at, TOKEN_KEY_PREFIX.length);
		at += TOKEN_KEY_PREFIX.length;
		tokenKey[at++] = '{';
		System.arraycopy(tag, 0, tokenKey, at, tag.length);
		at += tag.length;
		tokenKey[at++] = '}';
		tokenKey[at++] = ':';
		System.arraycopy(token, 0, tokenKey, at, token.length);
		return tokenKey;
	}

	private static byte[] hashTag(byte[] key) {
		int open = indexOf(key, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(key, (byte) '}', open + 1);
			if (close > open + 1) {
				byte[] tag = new byte[close - open - 1];
				System.arraycopy(key, open + 1, tag, 0, tag.length);
				return tag;
			}
		}
		return key;
	}

	private static int indexOf(byte[] bytes, byte value, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	/** 128 random bits: unique across clients without coordination. */
	private static String token() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
	}

	private static byte[] ascii(String value) {
		return value.getBytes(StandardCharsets.US_ASCII);
	}

	private static String sha1(byte[] script) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	/**
	 * One call with its token: every attempt sends the same token.
	 *
	 * @param command the command family
	 * @param keysAndArgs the script's keys and arguments
	 */
	record Call(ExactlyOnceCommand command, byte[][] keysAndArgs) {

		/**
		 * Run one attempt.
		 * @param connection the connection (not decorated)
		 * @return the command's reply, as Spring Data's method returns it
		 */
		@Nullable Object run(RedisConnection connection) {
			byte[] reply;
			try {
				reply = connection.scriptingCommands().evalSha(SHA, ReturnType.VALUE, 2, this.keysAndArgs);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				reply = connection.scriptingCommands().eval(SCRIPT_BYTES, ReturnType.VALUE, 2, this.keysAndArgs);
			}
			if (reply == null) {
				return null;
			}
			String value = new String(reply, StandardCharsets.US_ASCII);
			return this.command.isFloatingPoint() ? (Object) Double.valueOf(value) : (Object) Long.valueOf(value);
		}

		private static boolean isNoScript(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				String message = cause.getMessage();
				if (message != null && message.startsWith("NOSCRIPT")) {
					return true;
				}
				if (cause.getCause() == cause) {
					break;
				}
			}
			return false;
		}

	}

}
