package io.github.redisresilience.autoconfigure.retry;

import java.util.Locale;
import java.util.Set;

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

}
