package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveStringCommands;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisHashCommands;
import org.springframework.data.redis.connection.RedisKeyCommands;
import org.springframework.data.redis.connection.RedisListCommands;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.RedisTxCommands;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.types.Expiration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Spring Data Redis connection calls resolve to the Redis command they send and to
 * what repeating that command would do.
 */
class CommandTableTests {

	private static final byte[] KEY = { 'k' };

	@ParameterizedTest(name = "{0}")
	@MethodSource("calls")
	void resolvesCommandAndKind(String description, Method method, Object[] args, String command, CommandKind kind) {
		CommandCall call = CommandTable.resolve(method, args);
		assertThat(call).isNotNull();
		assertThat(call.name()).isEqualTo(command);
		assertThat(call.kind()).isEqualTo(kind);
	}

	static Stream<Arguments> calls() throws Exception {
		return Stream.of(
				call("get", RedisStringCommands.class.getMethod("get", byte[].class), args(KEY), "GET",
						CommandKind.READ_ONLY),
				call("set", RedisStringCommands.class.getMethod("set", byte[].class, byte[].class), args(KEY, KEY), "SET",
						CommandKind.IDEMPOTENT_WRITE),
				call("set with expiration, upsert",
						RedisStringCommands.class.getMethod("set", byte[].class, byte[].class, Expiration.class,
								SetOption.class),
						args(KEY, KEY, Expiration.seconds(5), SetOption.UPSERT), "SET", CommandKind.IDEMPOTENT_WRITE),
				call("set if absent",
						RedisStringCommands.class.getMethod("set", byte[].class, byte[].class, Expiration.class,
								SetOption.class),
						args(KEY, KEY, Expiration.persistent(), SetOption.SET_IF_ABSENT), "SET", CommandKind.WRITE),
				call("setNX", RedisStringCommands.class.getMethod("setNX", byte[].class, byte[].class), args(KEY, KEY),
						"SETNX", CommandKind.WRITE),
				call("incr", RedisStringCommands.class.getMethod("incr", byte[].class), args(KEY), "INCR",
						CommandKind.WRITE),
				call("getSet", RedisStringCommands.class.getMethod("getSet", byte[].class, byte[].class), args(KEY, KEY),
						"GETSET", CommandKind.WRITE),
				call("lPush", RedisListCommands.class.getMethod("lPush", byte[].class, byte[][].class),
						args(KEY, new byte[][] { KEY }), "LPUSH", CommandKind.WRITE),
				call("bLPop", RedisListCommands.class.getMethod("bLPop", int.class, byte[][].class),
						args(1, new byte[][] { KEY }), "BLPOP", CommandKind.NEVER_RETRIED),
				call("hGetAll", RedisHashCommands.class.getMethod("hGetAll", byte[].class), args(KEY), "HGETALL",
						CommandKind.READ_ONLY),
				call("hSet", RedisHashCommands.class.getMethod("hSet", byte[].class, byte[].class, byte[].class),
						args(KEY, KEY, KEY), "HSET", CommandKind.IDEMPOTENT_WRITE),
				call("hIncrBy", RedisHashCommands.class.getMethod("hIncrBy", byte[].class, byte[].class, long.class),
						args(KEY, KEY, 1L), "HINCRBY", CommandKind.WRITE),
				call("del", RedisKeyCommands.class.getMethod("del", byte[][].class), args((Object) new byte[][] { KEY }),
						"DEL", CommandKind.IDEMPOTENT_WRITE),
				call("zRangeWithScores", RedisZSetCommands.class.getMethod("zRangeWithScores", byte[].class, long.class,
						long.class), args(KEY, 0L, 1L), "ZRANGE", CommandKind.READ_ONLY),
				call("xRead blocking", RedisStreamCommands.class.getMethod("xRead", StreamReadOptions.class,
						StreamOffset[].class),
						args(StreamReadOptions.empty().block(Duration.ofSeconds(1)), new StreamOffset[0]), "XREAD",
						CommandKind.NEVER_RETRIED),
				call("xRead", RedisStreamCommands.class.getMethod("xRead", StreamReadOptions.class, StreamOffset[].class),
						args(StreamReadOptions.empty(), new StreamOffset[0]), "XREAD", CommandKind.READ_ONLY),
				call("multi", RedisTxCommands.class.getMethod("multi"), args(), "MULTI", CommandKind.NEVER_RETRIED),
				call("execute(INCR)", RedisConnection.class.getMethod("execute", String.class, byte[][].class),
						args("incr", new byte[][] { KEY }), "INCR", CommandKind.WRITE),
				call("reactive get", ReactiveStringCommands.class.getMethod("get", ByteBuffer.class),
						args(ByteBuffer.wrap(KEY)), "GET", CommandKind.READ_ONLY),
				call("reactive set of a publisher", ReactiveStringCommands.class.getMethod("set", org.reactivestreams.Publisher.class),
						args(Mono.empty()), "SET", CommandKind.NEVER_RETRIED));
	}

	@Test
	void connectionStateMethodsAreNotCommands() throws Exception {
		assertThat(CommandTable.resolve(RedisConnection.class.getMethod("isQueueing"), null)).isNull();
		assertThat(CommandTable.resolve(RedisConnection.class.getMethod("close"), null)).isNull();
	}

	@Test
	void commandGroupAccessorsAreRecognised() throws Exception {
		assertThat(CommandTable.isCommandGroup(RedisConnection.class.getMethod("stringCommands"))).isTrue();
		assertThat(CommandTable.isCommandGroup(RedisConnection.class.getMethod("isQueueing"))).isFalse();
	}

	@Test
	void clusterAdministrationIsNeverRetried() {
		assertThat(CommandTable.kind("clusterGetNodes")).isEqualTo(CommandKind.NEVER_RETRIED);
	}

	@Test
	void unknownCommandIsTreatedAsNonIdempotentWrite() {
		assertThat(CommandTable.kind("SOMEMODULE.ADD")).isEqualTo(CommandKind.WRITE);
	}

	private static Arguments call(String description, Method method, Object[] args, String command,
			CommandKind kind) {
		return Arguments.of(description, method, args, command, kind);
	}

	private static Object[] args(Object... args) {
		return args;
	}

}
