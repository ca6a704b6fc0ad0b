package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * Turns a call of a Spring Data Redis connection method into a {@link CommandCall}: the Redis
 * command it sends and what repeating it would do.
 * <p>
 * Spring Data names its methods after the commands ({@code hGetAll} sends HGETALL), so the
 * upper-cased method name is the command, except for the few renamed in
 * {@link #RENAMED}. Read-only commands are those Redis itself flags {@code readonly}
 * ({@code COMMAND INFO}); Redis has no idempotency flag, so the idempotent writes are listed
 * here by hand, each one leaving the same data when applied twice. Anything else is a
 * non-idempotent write, so that a command this table does not know is treated safely.
 */
final class CommandTable {

	private static final String CONNECTION_PACKAGE = "org.springframework.data.redis.connection.";

	/** Spring Data method names (upper-cased) that differ from the command they send. */
	private static final Map<String, String> RENAMED = Map.of("ENCODINGOF", "OBJECT", "IDLETIME", "OBJECT",
			"REFCOUNT", "OBJECT", "GEOREMOVE", "ZREM", "HRANDFIELDWITHVALUES", "HRANDFIELD", "ZRANDMEMBERWITHSCORE",
			"ZRANDMEMBER", "ZRANDMEMBERWITHSCORES", "ZRANDMEMBER");

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
			"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "ISSUBSCRIBED",
			"GETSUBSCRIPTION", "CREATESUBSCRIPTION", "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN",
			"BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF", "MONITOR", "SELECT", "SHUTDOWN", "REPLICAOF", "SLAVEOF",
			"FAILOVER", "QUIT", "RESET");

	private CommandTable() {
	}

	/**
	 * Whether a connection method returns a group of commands, such as {@code stringCommands()},
	 * whose calls must be decorated too.
	 * @param method the method called
	 * @return {@code true} for a command group accessor
	 */
	static boolean isCommandGroup(Method method) {
		Class<?> type = method.getReturnType();
		// Reactive cluster connections declare their groups as concrete classes, hence no isInterface().
		return method.getParameterCount() == 0 && type.getName().startsWith(CONNECTION_PACKAGE)
				&& type.getSimpleName().endsWith("Commands");
	}

	/**
	 * Resolve the command a connection method sends.
	 * @param method the method called
	 * @param args its arguments
	 * @return the command, or {@code null} if the method sends no command (close, state queries)
	 */
	static @Nullable CommandCall resolve(Method method, @Nullable Object @Nullable [] args) {
		if (!isCommandMethod(method)) {
			return null;
		}
		String name = commandName(method, args);
		return new CommandCall(name, kind(name, args));
	}

	/**
	 * Classify a command by name, without looking at its arguments.
	 * @param name the command name, any case
	 * @return what repeating it would do
	 */
	static CommandKind kind(String name) {
		return kind(name.toUpperCase(Locale.ROOT), null);
	}

	private static boolean isCommandMethod(Method method) {
		Class<?> declaring = method.getDeclaringClass();
		String name = declaring.getName();
		if (!name.startsWith(CONNECTION_PACKAGE) || isCommandGroup(method)) {
			return false;
		}
		String simpleName = declaring.getSimpleName();
		return simpleName.endsWith("Commands") || simpleName.startsWith("DefaultedRedis");
	}

	private static String commandName(Method method, @Nullable Object @Nullable [] args) {
		String name = method.getName().toUpperCase(Locale.ROOT);
		if (name.equals("EXECUTE") && args != null && args.length > 0 && args[0] instanceof String command) {
			// execute("CLIENT", "LIST") and friends: the first word is the command.
			int space = command.indexOf(' ');
			return ((space > 0) ? command.substring(0, space) : command).toUpperCase(Locale.ROOT);
		}
		if (name.endsWith("WITHSCORES") && !RENAMED.containsKey(name)) {
			name = name.substring(0, name.length() - "WITHSCORES".length());
		}
		return RENAMED.getOrDefault(name, name);
	}

	private static CommandKind kind(String name, @Nullable Object @Nullable [] args) {
		if (NEVER_RETRIED.contains(name) || name.startsWith("CLUSTER") || hasPublisherArgument(args)
				|| isBlockingRead(args)) {
			return CommandKind.NEVER_RETRIED;
		}
		if (READ_ONLY.contains(name)) {
			return CommandKind.READ_ONLY;
		}
		if (IDEMPOTENT_WRITES.contains(name) && !isConditionalSet(args)) {
			return CommandKind.IDEMPOTENT_WRITE;
		}
		return CommandKind.WRITE;
	}

	/**
	 * A reactive method taking a publisher may send any number of commands, some of which may
	 * already have run when one fails: re-subscribing would run those again.
	 */
	private static boolean hasPublisherArgument(@Nullable Object @Nullable [] args) {
		return anyArgument(args, Publisher.class);
	}

	/** XREAD or XREADGROUP with BLOCK. */
	private static boolean isBlockingRead(@Nullable Object @Nullable [] args) {
		if (args != null) {
			for (Object arg : args) {
				if (arg instanceof StreamReadOptions options && options.isBlocking()) {
					return true;
				}
			}
		}
		return false;
	}

	/** SET NX or SET XX: a repeat answers "not set" although the first attempt set the key. */
	private static boolean isConditionalSet(@Nullable Object @Nullable [] args) {
		if (args != null) {
			for (Object arg : args) {
				if (arg instanceof SetOption option && option != SetOption.UPSERT) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean anyArgument(@Nullable Object @Nullable [] args, Class<?> type) {
		if (args != null) {
			for (Object arg : args) {
				if (type.isInstance(arg)) {
					return true;
				}
			}
		}
		return false;
	}

}
