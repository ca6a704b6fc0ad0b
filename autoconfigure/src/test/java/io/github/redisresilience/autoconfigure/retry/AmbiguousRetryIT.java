package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.client.UnansweredConnectionClosedEvent;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.Partition;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresIptables;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An INCR whose reply is lost: the master runs it and replicates it, the reply never arrives
 * (the kit drops the master's replies to clients), the starter closes the unanswered connection
 * after 1 s, and the replies come back a moment later. Whether the INCR ran is unknown to the
 * client: the default policy fails it rather than risk running it twice, and the exact ledger (one
 * counter per INCR) reads 1. The negative control, {@code redis.resilience.retry.ambiguous=all},
 * re-sends it: acknowledged once, applied more than once.
 */
@WithLocalRedisCluster
@RequiresIptables
class AmbiguousRetryIT {

	private static final Duration LIMIT = Duration.ofSeconds(20);

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void anIncrementWhoseReplyIsLostFailsInsteadOfRunningTwice() throws Exception {
		LostReply outcome = incrementWhileRepliesAreLost();
		assertThat(outcome.error()).as("the INCR's failure").isNotNull();
		assertThat(outcome.counter()).as("the counter (the master ran the INCR once)").isEqualTo("1");
	}

	@Test
	void controlWithAmbiguousFailuresRetriedForEveryCommandAnAcknowledgedIncrementIsAppliedTwice() throws Exception {
		LostReply outcome = incrementWhileRepliesAreLost("--redis.resilience.retry.ambiguous=all");
		assertThat(outcome.error()).as("the INCR's failure").isNull();
		assertThat(Long.parseLong(outcome.counter())).as("the counter of one acknowledged INCR").isGreaterThan(1);
	}

	private LostReply incrementWhileRepliesAreLost(String... properties) throws Exception {
		String key = "ambiguous:{" + Long.toString(System.nanoTime(), 36) + "}";
		RedisPod master = cluster.masterOf(SlotHash.getSlot(key));
		RedisPod replica = cluster.replicasOf(master).get(0);
		String masterAddress = master.address().getAddress().getHostAddress() + ":" + master.address().getPort();
		// Only the application's connections to that master count: the starter's topology reader
		// may hold one too.
		AtomicInteger closed = new AtomicInteger();
		this.context = new SpringApplicationBuilder(AmbiguousRetryApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "redis.resilience.dns.resolver=jdk")
			.listeners(ApplicationListener.forPayload((UnansweredConnectionClosedEvent event) -> {
				if (event.remoteAddress().endsWith(masterAddress)) {
					closed.incrementAndGet();
				}
			}))
			.run(properties);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		// The application's connection to the master is open: the INCR goes out at once.
		redis.opsForValue().set(key + ":warm-up", "x");
		CompletableFuture<Long> increment;
		RedisClient replicaReader = RedisClient.create();
		try (Partition cut = cluster.cutRepliesToClients(master);
				StatefulRedisConnection<String, String> onReplica = replicaReader
					.connect(RedisURI.create(replica.address().getHostString(), replica.address().getPort()))) {
			onReplica.sync().readOnly();
			increment = CompletableFuture.supplyAsync(() -> redis.opsForValue().increment(key));
			await("the INCR ran on the master (seen on its replica)").atMost(LIMIT)
				.until(() -> "1".equals(onReplica.sync().get(key)));
			await("the starter closed the unanswered connection").atMost(LIMIT).until(() -> closed.get() > 0);
		}
		finally {
			replicaReader.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		String error = null;
		try {
			increment.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			error = ex.getCause().toString();
		}
		String counter = redis.opsForValue().get(key);
		System.out.printf("[ambiguous] %s: INCR %s; counter %s%n", String.join(" ", properties),
				(error != null) ? "failed: " + error : "acknowledged", counter);
		return new LostReply(error, counter);
	}

	/**
	 * What became of the INCR.
	 *
	 * @param error why it failed, {@code null} when it was acknowledged
	 * @param counter the counter afterwards
	 */
	record LostReply(String error, String counter) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class AmbiguousRetryApplication {

	}

}
