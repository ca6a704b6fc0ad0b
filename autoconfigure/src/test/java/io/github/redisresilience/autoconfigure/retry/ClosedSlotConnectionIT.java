package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.internal.AsyncConnectionProvider;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A slot whose cached node connection Lettuce has already closed. A topology refresh empties the
 * connection provider's per-slot cache, then closes (and forgets) the connections of nodes that
 * left the view; a command routed at the same moment by the view just replaced can put such a
 * connection back into the cache in between, and from then on every command for the slot fails
 * with "Connection is closed" until the next refresh (seen once in a scale-in under load). The
 * test leaves the provider in that state the way the refresh does, by closing the cached
 * connection through the provider's own pool, which forgets it: commands for the slot then
 * succeed, and the retry counts the closed connection it stepped over. Negative control:
 * retries off, the command fails with "Connection is closed".
 */
@WithLocalRedisCluster
class ClosedSlotConnectionIT {

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private final String run = Long.toString(System.nanoTime(), 36);

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private void start(String... properties) {
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				"--redis.resilience.dns.resolver=jdk"));
		arguments.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(ClusterDownRetryIT.ClusterDownApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new));
	}

	@Test
	void commandsForASlotWhoseCachedConnectionWasClosedSucceed() {
		start();
		String key = "closed-slot:" + this.run;
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		redis.opsForValue().set(key, "before");
		closeCachedConnection(SlotHash.getSlot(key));
		assertThat(redis.opsForValue().get(key)).isEqualTo("before");
		redis.opsForValue().set(key, "after");
		assertThat(redis.opsForValue().get(key)).isEqualTo("after");
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		assertThat(registry.find(MicrometerRetryMetrics.METER_NAME)
			.tag("reason", "closed-connection")
			.tag("outcome", "recovered")
			.counter()).as("the retry's count of closed connections it stepped over").isNotNull();
	}

	@Test
	void controlWithRetriesOffACommandForASlotWhoseCachedConnectionWasClosedFails() {
		start("--redis.resilience.retry.enabled=false");
		String key = "closed-slot:" + this.run + ":control";
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		redis.opsForValue().set(key, "before");
		closeCachedConnection(SlotHash.getSlot(key));
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> redis.opsForValue().get(key))
			.withStackTraceContaining("Connection is closed");
	}

	/**
	 * Close the connection the application's cluster connection has cached for a slot the way a
	 * refresh closes a stale one: through the provider's pool, which forgets it, while the
	 * per-slot cache keeps it.
	 */
	@SuppressWarnings("unchecked")
	private void closeCachedConnection(int slot) {
		Object provider = connectionProvider();
		CompletableFuture<?>[] cache = (CompletableFuture<?>[]) ReflectionTestUtils.getField(provider, "writers");
		assertThat(cache[slot]).as("the connection cached for slot %d", slot).isNotNull();
		Object cached = cache[slot].join();
		AsyncConnectionProvider<Object, ?, ?> pool = (AsyncConnectionProvider<Object, ?, ?>) ReflectionTestUtils
			.getField(provider, "connectionProvider");
		List<Object> keys = new ArrayList<>();
		pool.forEach((key, connection) -> {
			if (connection == cached) {
				keys.add(key);
			}
		});
		assertThat(keys).as("the pool's key of the cached connection").hasSize(1);
		pool.close(keys.get(0));
		assertThat(((RedisChannelHandler<?, ?>) cached).isClosed()).isTrue();
		assertThat(cache[slot].join()).as("still cached for the slot").isSameAs(cached);
	}

	/** Lettuce's provider behind the shared cluster connection, unwrapped from the retry's proxy. */
	private Object connectionProvider() {
		try (RedisConnection connection = this.context.getBean(LettuceConnectionFactory.class).getConnection()) {
			StatefulRedisClusterConnection<?, ?> shared = ((RedisAdvancedClusterAsyncCommands<?, ?>) connection
				.getNativeConnection()).getStatefulConnection();
			Method getProvider = ClusterWriters.writerMethod("getClusterConnectionProvider");
			Object provider = ReflectionUtils.invokeMethod(getProvider,
					((RedisChannelHandler<?, ?>) shared).getChannelWriter());
			return Proxy.isProxyClass(provider.getClass())
					? ReflectionTestUtils.getField(Proxy.getInvocationHandler(provider), "provider") : provider;
		}
	}

}
