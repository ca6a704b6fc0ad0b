package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once script against a real cluster: a call sent twice with its token is applied
 * once and answers the first reply both times, for each family; the token key expires; a node
 * that lost its scripts gets the script with EVAL; templates and Lettuce's native connection go
 * through it unchanged (the command is rewritten where Lettuce writes it to the channel).
 */
@WithLocalRedisCluster
class ExactlyOnceScriptIT {

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private static final byte[] SCRIPT = TokenScript.SCRIPT.getBytes(StandardCharsets.UTF_8);

	private static final byte[] TTL = bytes("60000");

	private final String run = Long.toString(System.nanoTime(), 36);

	@BeforeEach
	void start() {
		this.context = new SpringApplicationBuilder(ScriptApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk",
					"--redis.resilience.retry.exactly-once=INCR,INCRBY,HINCRBY,INCRBYFLOAT,ZINCRBY,LPUSH,RPUSH");
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void aCallSentTwiceWithItsTokenIsAppliedOnceAndAnswersTheFirstReplyBothTimes() {
		try (RedisClusterConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getClusterConnection()) {
			byte[] counter = key("n");
			byte[] token = TokenScript.tokenKey(counter);
			for (int i = 0; i < 2; i++) {
				assertThat((Long) run(connection, ReturnType.INTEGER, token, counter, "5", "INCRBY")).isEqualTo(5L);
			}
			assertThat(new String(connection.stringCommands().get(counter), StandardCharsets.US_ASCII)).isEqualTo("5");

			byte[] floating = key("f");
			byte[] floatToken = TokenScript.tokenKey(floating);
			for (int i = 0; i < 2; i++) {
				assertThat(new String((byte[]) run(connection, ReturnType.VALUE, floatToken, floating, "0.25",
						"INCRBYFLOAT"), StandardCharsets.US_ASCII)).isEqualTo("0.25");
			}

			byte[] hash = key("h");
			byte[] hashToken = TokenScript.tokenKey(hash);
			for (int i = 0; i < 2; i++) {
				assertThat((Long) run(connection, ReturnType.INTEGER, hashToken, hash, "field", "2", "HINCRBY"))
					.isEqualTo(2L);
			}

			byte[] zset = key("z");
			byte[] zsetToken = TokenScript.tokenKey(zset);
			for (int i = 0; i < 2; i++) {
				assertThat(new String((byte[]) run(connection, ReturnType.VALUE, zsetToken, zset, "1.5", "member",
						"ZINCRBY"), StandardCharsets.US_ASCII)).isEqualTo("1.5");
			}

			byte[] list = key("l");
			byte[] listToken = TokenScript.tokenKey(list);
			for (int i = 0; i < 2; i++) {
				assertThat((Long) run(connection, ReturnType.INTEGER, listToken, list, "a", "b", "RPUSH")).isEqualTo(2L);
			}
			assertThat(connection.listCommands().lLen(list)).isEqualTo(2);

			assertThat(connection.keyCommands().pTtl(token)).as("token key time to live").isBetween(1L, 60_000L);
		}
	}

	/** One call of the script as the retry sends it: token key, key, arguments, TTL, command. */
	private static Object run(RedisClusterConnection connection, ReturnType type, byte[] tokenKey, byte[] key,
			String... argsAndCommand) {
		byte[][] keysAndArgs = new byte[argsAndCommand.length + 3][];
		keysAndArgs[0] = tokenKey;
		keysAndArgs[1] = key;
		for (int i = 0; i < argsAndCommand.length - 1; i++) {
			keysAndArgs[2 + i] = bytes(argsAndCommand[i]);
		}
		keysAndArgs[argsAndCommand.length + 1] = TTL;
		keysAndArgs[argsAndCommand.length + 2] = bytes(argsAndCommand[argsAndCommand.length - 1]);
		return connection.scriptingCommands().eval(SCRIPT, type, 2, keysAndArgs);
	}

	@Test
	void nodesThatLostTheScriptGetItWithEval() throws Exception {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		try (RedisClusterConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getClusterConnection()) {
			@SuppressWarnings("unchecked")
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> lettuce = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			lettuce.scriptFlush().get();
		}
		String counter = this.run + ":flushed";
		assertThat(redis.opsForValue().increment(counter)).isEqualTo(1L);
		assertThat(redis.opsForValue().increment(counter)).isEqualTo(2L);
		assertThat(redis.keys("__eo:{" + counter + "}:*")).as("token keys").hasSize(2);
	}

	@Test
	void lettucesNativeConnectionRunsTheListedFamiliesExactlyOnceToo() throws Exception {
		String counter = this.run + ":native";
		try (RedisClusterConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getClusterConnection()) {
			@SuppressWarnings("unchecked")
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> lettuce = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			assertThat(lettuce.incr(bytes(counter)).get()).isEqualTo(1L);
		}
		assertThat(this.context.getBean(StringRedisTemplate.class).keys("__eo:{" + counter + "}:*")).hasSize(1);
	}

	@Test
	void templatesRunTheListedFamiliesExactlyOnce() {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String counter = this.run + ":template";
		assertThat(redis.opsForValue().increment(counter)).isEqualTo(1L);
		assertThat(redis.opsForValue().increment(counter, 4)).isEqualTo(5L);
		assertThat(redis.opsForValue().increment(counter + ":f", 0.5)).isEqualTo(0.5);
		assertThat(redis.opsForHash().increment(counter + ":h", "f", 3)).isEqualTo(3L);
		assertThat(redis.opsForList().rightPushAll(counter + ":l", "a", "b", "c")).isEqualTo(3L);
		assertThat(redis.keys("__eo:{" + counter + "}:*")).as("token keys of the INCRs").hasSize(2);
	}

	private byte[] key(String name) {
		return bytes(this.run + ":" + name);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ScriptApplication {

	}

}
