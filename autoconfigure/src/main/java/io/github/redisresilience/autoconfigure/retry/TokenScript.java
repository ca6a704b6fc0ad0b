package io.github.redisresilience.autoconfigure.retry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends a counter or append command as a script that applies it once per token, below Spring
 * Data: the command keeps its type, arguments and output, only its bytes on the wire change.
 * <p>
 * The command {@code INCRBY k 5} goes out as {@code EVALSHA sha 2 tokenKey k 5 ttl INCRBY}: the
 * token key first (the keys of a script must come before its arguments, and the command's own
 * arguments are written as Lettuce encoded them, key first), then the time to live and the
 * command name last. Lettuce routed the command by its own first key before it was encoded, and
 * the token key shares that key's hash slot, so the node is the same. The script answers an
 * integer for integer families and a bulk string for floating-point ones, exactly as the command
 * would, so the caller's own output decodes it; a repeat with the same token answers the stored
 * reply without applying the command again.
 * <p>
 * Each call gets a random 128-bit token, kept across its attempts and Lettuce's replays of them.
 * The token key carries the command key's hash tag (or the whole key as its tag), so both live in
 * the same hash slot, on the same node, and the script, which Redis runs atomically and
 * replicates as one unit, writes both or neither: a replica promoted after a failover has the
 * token exactly when it has the effect. A key whose token key would land in another slot (braces
 * that make no hash tag, such as {@code a{}b}) runs as a plain command under the ordinary policy,
 * and the reason is logged once per command family.
 */
final class TokenScript {

	private static final Log logger = LogFactory.getLog(TokenScript.class);

	/** KEYS[1] token key, KEYS[2] the command's key; ARGV[1..n-2] its arguments, ARGV[n-1] TTL ms, ARGV[n] command. */
	static final String SCRIPT = """
			local n = #ARGV
			local seen = redis.call('GET', KEYS[1])
			if seen then
			  if string.sub(seen, 1, 1) == 'i' then return tonumber(string.sub(seen, 2)) end
			  return string.sub(seen, 2)
			end
			local reply = redis.call(ARGV[n], KEYS[2], unpack(ARGV, 1, n - 2))
			if type(reply) == 'number' then
			  redis.call('SET', KEYS[1], 'i' .. string.format('%d', reply), 'PX', ARGV[n - 1])
			else
			  redis.call('SET', KEYS[1], 's' .. reply, 'PX', ARGV[n - 1])
			end
			return reply
			""";

	private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);

	static final String SHA = sha1(SCRIPT_BYTES);

	private static final byte[] SHA_BYTES = SHA.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVALSHA = ascii("EVALSHA");

	private static final byte[] EVAL = ascii("EVAL");

	private static final byte[] TWO_KEYS = ascii("2");

	private static final byte[] CRLF = { '\r', '\n' };

	private static final byte[] TOKEN_KEY_PREFIX = ascii("__eo:");

	private final Set<String> families = new HashSet<>();

	private final byte[] ttlMillis;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	TokenScript(Set<ExactlyOnceCommand> commands, Duration ttl) {
		commands.forEach((command) -> this.families.add(command.name()));
		this.ttlMillis = ascii(Long.toString(ttl.toMillis()));
	}

	boolean isEnabled() {
		return !this.families.isEmpty();
	}

	/**
	 * The token key for one call of a command, if it runs exactly once.
	 * @param command the command as routed
	 * @return a new token key in the slot of the command's key, or {@code null} to send the
	 * command as it is
	 */
	byte @Nullable [] tokenKeyFor(RedisCommand<?, ?, ?> command) {
		String type = command.getType().toString();
		if (!this.families.contains(type)) {
			return null;
		}
		CommandArgs<?, ?> args = command.getArgs();
		ByteBuffer encodedKey = (args != null) ? args.getFirstEncodedKey() : null;
		if (encodedKey == null) {
			return null;
		}
		byte[] key = new byte[encodedKey.remaining()];
		encodedKey.duplicate().get(key);
		byte[] tokenKey = tokenKey(key);
		if (SlotHash.getSlot(tokenKey) != SlotHash.getSlot(key)) {
			if (this.warned.add(type)) {
				logger.warn(type + " runs without exactly-once on keys whose braces do not form a hash tag (such as "
						+ "a{}b): no token key can share their slot; it follows redis.resilience.retry.ambiguous instead");
			}
			return null;
		}
		return tokenKey;
	}

	/**
	 * Write a command as a call of the script.
	 * @param buf the channel's buffer
	 * @param command the command
	 * @param tokenKey its token key
	 * @param withSource {@code true} to send the script's source (EVAL), after a node answered
	 * NOSCRIPT
	 */
	void encode(ByteBuf buf, RedisCommand<?, ?, ?> command, byte[] tokenKey, boolean withSource) {
		CommandArgs<?, ?> args = command.getArgs();
		buf.writeByte('*');
		writeNumber(buf, 4 + args.count() + 2);
		buf.writeBytes(CRLF);
		writeBulk(buf, withSource ? EVAL : EVALSHA);
		writeBulk(buf, withSource ? SCRIPT_BYTES : SHA_BYTES);
		writeBulk(buf, TWO_KEYS);
		writeBulk(buf, tokenKey);
		args.encode(buf);
		writeBulk(buf, this.ttlMillis);
		writeBulk(buf, command.getType().getBytes());
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

	static boolean isNoScript(@Nullable String error) {
		return error != null && error.startsWith("NOSCRIPT");
	}

	private static void writeBulk(ByteBuf buf, byte[] value) {
		buf.writeByte('$');
		writeNumber(buf, value.length);
		buf.writeBytes(CRLF);
		buf.writeBytes(value);
		buf.writeBytes(CRLF);
	}

	private static void writeNumber(ByteBuf buf, long value) {
		buf.writeBytes(ascii(Long.toString(value)));
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

}
