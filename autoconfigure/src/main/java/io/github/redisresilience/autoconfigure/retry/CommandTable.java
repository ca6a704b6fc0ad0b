package io.github.redisresilience.autoconfigure.retry;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

/**
 * What repeating a Redis command would do, by the name Lettuce gives its type.
 * <p>
 * Read-only commands are those Redis itself flags {@code readonly} ({@code COMMAND INFO}); Redis
 * has no idempotency flag, so the idempotent writes are listed here by hand, each one leaving the
 * same data when applied twice. Anything else is a non-idempotent write, so that a command this
 * table does not know is treated safely. The few commands whose arguments change the answer (SET
 * with NX, XX or GET; XREAD with BLOCK) are told apart where the arguments are at hand.
 */
final class CommandTable {

	/** Commands Redis flags readonly, plus GEORADIUS(BYMEMBER) which Spring Data sends without STORE. */
	private static final Set<String> READ_ONLY = Set.of("GET", "MGET", "GETRANGE", "SUBSTR", "STRLEN", "GETBIT",
			"BITCOUNT", "BITPOS", "BITFIELD_RO", "LCS", "EXISTS", "TYPE", "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME",
			"KEYS", "SCAN", "RANDOMKEY", "DUMP", "OBJECT", "TOUCH", "DBSIZE", "HGET", "HMGET", "HGETALL", "HKEYS",
			"HVALS", "HLEN", "HEXISTS", "HSTRLEN", "HRANDFIELD", "HSCAN", "HTTL", "HPTTL", "HEXPIRETIME",
			"HPEXPIRETIME", "LRANGE", "LINDEX", "LLEN", "LPOS", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD",
			"SRANDMEMBER", "SSCAN", "SINTER", "SINTERCARD", "SUNION", "SDIFF", "ZRANGE", "ZRANGEBYSCORE",
			"ZRANGEBYLEX", "ZREVRANGE", "ZREVRANGEBYSCORE", "ZREVRANGEBYLEX", "ZSCORE", "ZMSCORE", "ZRANK",
			"ZREVRANK", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZRANDMEMBER", "ZSCAN", "ZDIFF", "ZINTER", "ZINTERCARD",
			"ZUNION", "GEOPOS", "GEODIST", "GEOHASH", "GEOSEARCH", "GEORADIUS", "GEORADIUSBYMEMBER",
			"GEORADIUS_RO", "GEORADIUSBYMEMBER_RO", "PFCOUNT", "XRANGE", "XREVRANGE", "XLEN", "XREAD", "XINFO",
			"XPENDING", "PING", "ECHO", "TIME", "INFO", "LASTSAVE", "SORT_RO", "EVAL_RO", "EVALSHA_RO", "FCALL_RO",
			"SCRIPTEXISTS");

	/** Writes that leave the same data when applied twice. */
	private static final Set<String> IDEMPOTENT_WRITES = Set.of("SET", "MSET", "SETEX", "PSETEX", "SETRANGE",
			"SETBIT", "GETEX", "DEL", "UNLINK", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "HSET",
			"HMSET", "HDEL", "HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HPERSIST", "LSET", "SADD", "SREM",
			"ZADD", "ZREM", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "PFADD", "PFMERGE", "GEOADD", "XACK", "XDEL",
			"SCRIPTLOAD");

	/**
	 * Commands whose connection state or timing a retry would corrupt or hide: transactions,
	 * subscriptions, blocking reads, and administration whose caller must see the truth.
	 */
	private static final Set<String> NEVER_RETRIED = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
			"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
			"BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN",
			"BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF", "MONITOR", "SELECT", "SHUTDOWN", "REPLICAOF", "SLAVEOF",
			"FAILOVER", "QUIT", "RESET");

	private CommandTable() {
	}

	/** Lettuce's own command types, by ordinal: the lookup every command makes (after
	 * the name tables above, which it is built from). */
	private static final CommandKind[] KINDS_BY_ORDINAL = kindsByOrdinal();

	/** Command types of other origins (a custom {@link ProtocolKeyword}), by name. */
	private static final Map<ProtocolKeyword, CommandKind> KINDS = new ConcurrentHashMap<>();

	/**
	 * Classify a command by name, without looking at its arguments.
	 * @param name the command name, any case
	 * @return what repeating it would do
	 */
	static CommandKind kind(String name) {
		String command = name.toUpperCase(Locale.ROOT);
		if (NEVER_RETRIED.contains(command) || command.startsWith("CLUSTER")) {
			return CommandKind.NEVER_RETRIED;
		}
		if (READ_ONLY.contains(command)) {
			return CommandKind.READ_ONLY;
		}
		return IDEMPOTENT_WRITES.contains(command) ? CommandKind.IDEMPOTENT_WRITE : CommandKind.WRITE;
	}

	/**
	 * What repeating a command would do, from its name (cached) and, for the few commands whose
	 * arguments decide it, from its arguments.
	 */
	static CommandKind kindOf(RedisCommand<?, ?, ?> command) {
		ProtocolKeyword type = command.getType();
		CommandKind kind = (type instanceof CommandType known) ? KINDS_BY_ORDINAL[known.ordinal()]
				: KINDS.computeIfAbsent(type, (custom) -> CommandTable.kind(custom.toString()));
		if (kind == CommandKind.NEVER_RETRIED) {
			return kind;
		}
		if (isStreamRead(type) && hasWord(command.getArgs(), "BLOCK")) {
			return CommandKind.NEVER_RETRIED;
		}
		return kind;
	}
	private static boolean isStreamRead(ProtocolKeyword type) {
		if (type instanceof CommandType) {
			return type == CommandType.XREAD || type == CommandType.XREADGROUP;
		}
		String name = type.toString();
		return name.equals("XREAD") || name.equals("XREADGROUP");
	}
	private static CommandKind[] kindsByOrdinal() {
		CommandType[] types = CommandType.values();
		CommandKind[] kinds = new CommandKind[types.length];
		for (CommandType type : types) {
			kinds[type.ordinal()] = CommandTable.kind(type.toString());
		}
		return kinds;
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

}
