package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.cache.Cache;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Data's types stay what they are with the starter: the factory bean, its blocking and
 * reactive connections and their native connections have exactly the classes they have without
 * it, and code that casts, pipelines, calls the native connection, caches or goes reactive
 * behaves the same. Each test runs with the starter and, as its reference, without it
 * ({@code redis.resilience.enabled=false}).
 */
@WithLocalRedisCluster
class TypeTransparencyIT {

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private final String run = Long.toString(System.nanoTime(), 36);

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private void start(boolean starter) {
		this.context = new SpringApplicationBuilder(TransparencyApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk",
					"--redis.resilience.enabled=" + starter);
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void factoryBeanIsSpringDatasOwnClass(boolean starter) {
		start(starter);
		LettuceConnectionFactory factory = this.context.getBean(LettuceConnectionFactory.class);
		assertThat(factory.getClass()).isEqualTo(LettuceConnectionFactory.class);
		assertThat(AopUtils.isAopProxy(factory)).isFalse();
		assertThat(this.context.getBean(RedisConnectionFactory.class)).isSameAs(factory);
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void blockingConnectionCastsToLettuceClusterConnectionAndItsNativeConnectionIsLettuces(boolean starter)
			throws Exception {
		start(starter);
		LettuceConnectionFactory factory = this.context.getBean(LettuceConnectionFactory.class);
		try (RedisConnection connection = factory.getConnection()) {
			assertThat(connection.getClass()).isEqualTo(LettuceClusterConnection.class);
			LettuceConnection lettuce = (LettuceConnection) connection;
			assertThat(lettuce).isInstanceOf(LettuceClusterConnection.class);
			Object nativeConnection = lettuce.getNativeConnection();
			assertThat(nativeConnection).isInstanceOf(RedisAdvancedClusterAsyncCommands.class);
			assertThat(nativeConnection.getClass().getName()).startsWith("io.lettuce.core.");
			@SuppressWarnings("unchecked")
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> commands = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) nativeConnection;
			assertThat(commands.getStatefulConnection()).isInstanceOf(StatefulRedisClusterConnection.class);
			assertThat(commands.getStatefulConnection().getClass().getName()).startsWith("io.lettuce.core.");
			assertThat(commands.set(bytes(key("native")), bytes("v")).get()).isEqualTo("OK");
		}
		try (RedisConnection cluster = factory.getClusterConnection()) {
			assertThat(cluster.getClass()).isEqualTo(LettuceClusterConnection.class);
		}
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void pipelineReturnsEveryResultInOrder(boolean starter) {
		start(starter);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String key = key("pipelined");
		List<Object> results = redis.executePipelined((RedisCallback<Object>) (connection) -> {
			connection.stringCommands().set(bytes(key), bytes("1"));
			connection.stringCommands().incr(bytes(key));
			connection.stringCommands().get(bytes(key));
			return null;
		});
		assertThat(results).containsExactly(true, 2L, "2");
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void executeCallbackReachesLettucesNativeConnection(boolean starter) {
		start(starter);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String key = key("callback");
		redis.opsForValue().set(key, "value");
		String read = redis.execute((RedisCallback<String>) (connection) -> {
			@SuppressWarnings("unchecked")
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> lettuce = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			try {
				return new String(lettuce.get(bytes(key)).get(), StandardCharsets.UTF_8);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(read).isEqualTo("value");
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void springCacheStoresAndServesFromRedis(boolean starter) {
		start(starter);
		Cache cache = this.context.getBean(RedisCacheManager.class).getCache("lookups");
		String id = key("cached");
		cache.put(id, "found " + id);
		assertThat(cache.get(id, String.class)).isEqualTo("found " + id);
		assertThat(cache.getNativeCache()).isInstanceOf(RedisCacheWriter.class);
		assertThat(this.context.getBean(StringRedisTemplate.class).hasKey("lookups::" + id)).isTrue();
		cache.evict(id);
		assertThat(cache.get(id)).isNull();
	}

	@ParameterizedTest(name = "starter={0}")
	@ValueSource(booleans = { true, false })
	void reactiveConnectionAndTemplateAreSpringDatasOwn(boolean starter) {
		start(starter);
		LettuceConnectionFactory factory = this.context.getBean(LettuceConnectionFactory.class);
		ReactiveRedisConnection connection = factory.getReactiveConnection();
		try {
			// Package-private in Spring Data: compared by name.
			assertThat(connection.getClass().getName())
				.isEqualTo("org.springframework.data.redis.connection.lettuce.LettuceReactiveRedisClusterConnection");
		}
		finally {
			connection.close();
		}
		ReactiveStringRedisTemplate reactive = this.context.getBean(ReactiveStringRedisTemplate.class);
		String key = key("reactive");
		assertThat(reactive.opsForValue().set(key, "ok").then(reactive.opsForValue().get(key))
			.block(Duration.ofSeconds(15))).isEqualTo("ok");
	}

	private String key(String name) {
		return "transparency:" + this.run + ":" + name;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
		static class TransparencyApplication {

		/**
		 * Writes the cache's entries before {@code put} returns: Spring Data Redis 4 writes them
		 * asynchronously by default with Lettuce, so a read right after a write could miss it (1 in
		 * ~200 here, with and without the starter).
		 */
		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory) {
			return RedisCacheManager
				.builder(RedisCacheWriter.create(connectionFactory, (writer) -> writer.immediateWrites()))
				.build();
		}

		/** Without the starter: the kit's names live in the JVM's hosts file, which only the JDK resolver reads. */
		@Bean
		@ConditionalOnProperty(name = "redis.resilience.enabled", havingValue = "false")
		ClientResourcesBuilderCustomizer jdkNameResolution() {
			return (builder) -> builder.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE);
		}

	}

}
