package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

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
import org.springframework.data.redis.connection.RedisHashCommands;
import org.springframework.data.redis.connection.RedisListCommands;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ReflectionUtils;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once script against a real cluster: a call sent twice with its token is applied
 * once and answers the first reply both times, for each family; the token key expires; a node
 * that lost its scripts gets the script with EVAL; templates go through it unchanged.
 */
@WithLocalRedisCluster
class ExactlyOnceScriptIT {

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private final ExactlyOnce exactlyOnce = new ExactlyOnce(EnumSet.allOf(ExactlyOnceCommand.class),
			java.time.Duration.ofSeconds(60));

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
	void aCallSentTwiceIsAppliedOnceAndAnswersTheFirstReplyBothTimes() {
		try (RedisClusterConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getClusterConnection()) {
			ExactlyOnce.Call incrBy = call(RedisStringCommands.class, "incrBy",
					new Class<?>[] { byte[].class, long.class }, key("n"), 5L);
			assertThat(incrBy.run(connection)).isEqualTo(5L);
			assertThat(incrBy.run(connection)).isEqualTo(5L);
			assertThat(new String(connection.stringCommands().get(key("n")), StandardCharsets.US_ASCII))
				.isEqualTo("5");

			ExactlyOnce.Call incrByFloat = call(RedisStringCommands.class, "incrBy",
					new Class<?>[] { byte[].class, double.class }, key("f"), 0.25);
			assertThat(incrByFloat.run(connection)).isEqualTo(0.25);
			assertThat(incrByFloat.run(connection)).isEqualTo(0.25);

			ExactlyOnce.Call hIncrBy = call(RedisHashCommands.class, "hIncrBy",
					new Class<?>[] { byte[].class, byte[].class, long.class }, key("h"), bytes("field"), 2L);
			assertThat(hIncrBy.run(connection)).isEqualTo(2L);
			assertThat(hIncrBy.run(connection)).isEqualTo(2L);

			ExactlyOnce.Call zIncrBy = call(RedisZSetCommands.class, "zIncrBy",
					new Class<?>[] { byte[].class, double.class, byte[].class }, key("z"), 1.5, bytes("member"));
			assertThat(zIncrBy.run(connection)).isEqualTo(1.5);
			assertThat(zIncrBy.run(connection)).isEqualTo(1.5);

			ExactlyOnce.Call rPush = call(RedisListCommands.class, "rPush",
					new Class<?>[] { byte[].class, byte[][].class }, key("l"),
					new byte[][] { bytes("a"), bytes("b") });
			assertThat(rPush.run(connection)).isEqualTo(2L);
			assertThat(rPush.run(connection)).isEqualTo(2L);
			assertThat(connection.listCommands().lLen(key("l"))).isEqualTo(2);

			long ttl = connection.keyCommands().pTtl(incrBy.keysAndArgs()[1]);
			assertThat(ttl).as("token key time to live").isBetween(1L, 60_000L);
		}
	}

	@Test
	void nodesThatLostTheScriptGetItWithEval() throws Exception {
		try (RedisClusterConnection connection = this.context.getBean(LettuceConnectionFactory.class)
			.getClusterConnection()) {
			@SuppressWarnings("unchecked")
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> lettuce = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			lettuce.scriptFlush().get();
			ExactlyOnce.Call incr = call(RedisStringCommands.class, "incr", new Class<?>[] { byte[].class },
					key("flushed"));
			assertThat(incr.run(connection)).isEqualTo(1L);
			assertThat(incr.run(connection)).isEqualTo(1L);
		}
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

	private ExactlyOnce.Call call(Class<?> type, String name, Class<?>[] parameters, Object... args) {
		ExactlyOnce.Call call = this.exactlyOnce.prepare(ReflectionUtils.findMethod(type, name, parameters), args);
		assertThat(call).isNotNull();
		return call;
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
