package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisHashCommands;
import org.springframework.data.redis.connection.RedisListCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExactlyOnce}: which calls it takes, and where their tokens live.
 */
class ExactlyOnceTests {

	private final ExactlyOnce all = new ExactlyOnce(EnumSet.allOf(ExactlyOnceCommand.class), Duration.ofMinutes(1));

	@Test
	void tokenKeyOfAPlainKeyIsInItsSlot() {
		byte[] key = bytes("visits:home");
		byte[] tokenKey = ExactlyOnce.tokenKey(key);
		assertThat(new String(tokenKey, StandardCharsets.US_ASCII)).startsWith("__eo:{visits:home}:");
		assertThat(SlotHash.getSlot(tokenKey)).isEqualTo(SlotHash.getSlot(key));
	}

	@Test
	void tokenKeyOfAHashTaggedKeyUsesItsTag() {
		byte[] key = bytes("cart:{user-7}:items");
		byte[] tokenKey = ExactlyOnce.tokenKey(key);
		assertThat(new String(tokenKey, StandardCharsets.US_ASCII)).startsWith("__eo:{user-7}:");
		assertThat(SlotHash.getSlot(tokenKey)).isEqualTo(SlotHash.getSlot(key));
	}

	@Test
	void eachCallHasItsOwnToken() {
		byte[] key = bytes("k");
		assertThat(ExactlyOnce.tokenKey(key)).isNotEqualTo(ExactlyOnce.tokenKey(key));
	}

	@Test
	void keyWhoseBracesMakeNoTagRunsAsAPlainCommand() {
		assertThat(this.all.prepare(method(RedisStringCommands.class, "incr", byte[].class),
				new Object[] { bytes("a{}b") }))
			.isNull();
	}

	@Test
	void familiesMapToTheCommandsSpringDataSends() {
		assertThat(prepare(RedisStringCommands.class, "incr", new Class<?>[] { byte[].class }, bytes("k")))
			.isEqualTo(ExactlyOnceCommand.INCR);
		assertThat(prepare(RedisStringCommands.class, "incrBy", new Class<?>[] { byte[].class, long.class },
				bytes("k"), 3L))
			.isEqualTo(ExactlyOnceCommand.INCRBY);
		assertThat(prepare(RedisStringCommands.class, "incrBy", new Class<?>[] { byte[].class, double.class },
				bytes("k"), 0.5))
			.isEqualTo(ExactlyOnceCommand.INCRBYFLOAT);
		assertThat(prepare(RedisHashCommands.class, "hIncrBy",
				new Class<?>[] { byte[].class, byte[].class, double.class }, bytes("k"), bytes("f"), 0.5))
			.isEqualTo(ExactlyOnceCommand.HINCRBYFLOAT);
		assertThat(prepare(RedisZSetCommands.class, "zIncrBy",
				new Class<?>[] { byte[].class, double.class, byte[].class }, bytes("k"), 1.0, bytes("m")))
			.isEqualTo(ExactlyOnceCommand.ZINCRBY);
		assertThat(prepare(RedisListCommands.class, "rPush", new Class<?>[] { byte[].class, byte[][].class },
				bytes("k"), new byte[][] { bytes("a"), bytes("b") }))
			.isEqualTo(ExactlyOnceCommand.RPUSH);
	}

	@Test
	void argumentsFollowTheKeyTheTokenKeyTheTtlAndTheCommand() {
		ExactlyOnce.Call call = this.all.prepare(method(RedisHashCommands.class, "hIncrBy", byte[].class,
				byte[].class, long.class), new Object[] { bytes("h"), bytes("f"), 5L });
		assertThat(call).isNotNull();
		byte[][] keysAndArgs = call.keysAndArgs();
		assertThat(keysAndArgs).hasNumberOfRows(6);
		assertThat(new String(keysAndArgs[0], StandardCharsets.US_ASCII)).isEqualTo("h");
		assertThat(new String(keysAndArgs[2], StandardCharsets.US_ASCII)).isEqualTo("60000");
		assertThat(new String(keysAndArgs[3], StandardCharsets.US_ASCII)).isEqualTo("HINCRBY");
		assertThat(new String(keysAndArgs[4], StandardCharsets.US_ASCII)).isEqualTo("f");
		assertThat(new String(keysAndArgs[5], StandardCharsets.US_ASCII)).isEqualTo("5");
	}

	@Test
	void familiesNotListedRunAsPlainCommands() {
		ExactlyOnce incrOnly = new ExactlyOnce(Set.of(ExactlyOnceCommand.INCR), Duration.ofMinutes(1));
		assertThat(incrOnly.prepare(method(RedisListCommands.class, "lPush", byte[].class, byte[][].class),
				new Object[] { bytes("k"), new byte[][] { bytes("v") } }))
			.isNull();
		assertThat(new ExactlyOnce(Set.of(), Duration.ofMinutes(1)).isEnabled()).isFalse();
	}

	private ExactlyOnceCommand prepare(Class<?> type, String name, Class<?>[] parameters, Object... args) {
		ExactlyOnce.Call call = this.all.prepare(method(type, name, parameters), args);
		assertThat(call).isNotNull();
		return call.command();
	}

	private static Method method(Class<?> type, String name, Class<?>... parameters) {
		Method method = ReflectionUtils.findMethod(type, name, parameters);
		assertThat(method).isNotNull();
		return method;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
