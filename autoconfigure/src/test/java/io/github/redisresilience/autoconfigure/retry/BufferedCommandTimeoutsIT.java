package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routed commands carry no Lettuce timer once the retry times them out itself; one that waits in
 * a node connection's buffer instead of on a channel still ends at the overall deadline, with
 * Lettuce's timeout exception: while its master is down (the disconnected buffer) and while the
 * connection does not flush (the command buffer). The negative controls stop the look at the
 * buffers and see the same commands still waiting well past the deadline.
 * <p>
 * The masters have no replicas and the node timeout is a minute, so a stopped master is neither
 * failed over nor dropped from the topology while a test waits: its connection stays in the
 * client, reconnecting, with the command in its buffer.
 */
class BufferedCommandTimeoutsIT {

	private static final Duration ATTEMPT = Duration.ofMillis(300);

	private static final Duration BUDGET = Duration.ofMillis(400);

	private static final Duration DEADLINE = AttemptTimeouts.deadline(ATTEMPT, BUDGET);

	private static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private StatefulRedisClusterConnection<String, String> connection;

	private RedisPod stopped;

	/** When the GET under test was issued, in {@link System#nanoTime()}'s terms. */
	private long issued;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().replicasPerMaster(0).nodeTimeout(Duration.ofMinutes(1)).start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@BeforeEach
	void connect() {
		this.context = new SpringApplicationBuilder(BufferApplication.class).web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk",
					"--spring.data.redis.timeout=" + ATTEMPT.toMillis() + "ms",
					"--redis.resilience.retry.budget=" + BUDGET.toMillis() + "ms");
		RedisClusterClient client = (RedisClusterClient) this.context.getBean(LettuceConnectionFactory.class)
			.getNativeClient();
		this.connection = client.connect(StringCodec.UTF8);
	}

	@AfterEach
	void close() {
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.stopped != null) {
			cluster.restart(this.stopped);
			this.stopped = null;
		}
	}

	@Test
	void aCommandWaitingForItsStoppedMasterTimesOutAtTheOverallDeadline() throws Exception {
		RedisFuture<String> get = getWhileMasterIsStopped();
		await("the command ended").atMost(DEADLINE.plusSeconds(5)).until(get::isDone);
		assertTimedOutAtTheDeadline(get);
	}

	@Test
	void negativeControlWithoutTheLookACommandWaitsForItsStoppedMasterPastTheDeadline() throws Exception {
		this.context.getBean(ChannelCommandRetry.class).buffers().stopLooking();
		RedisFuture<String> get = getWhileMasterIsStopped();
		await("the command still waiting").during(DEADLINE.plusSeconds(1))
			.atMost(DEADLINE.plusSeconds(2))
			.until(() -> !get.isDone());
	}

	@Test
	void aCommandThatIsNeverFlushedTimesOutAtTheOverallDeadline() throws Exception {
		RedisFuture<String> get = getNeverFlushed();
		await("the command ended").atMost(DEADLINE.plusSeconds(5)).until(get::isDone);
		assertTimedOutAtTheDeadline(get);
	}

	@Test
	void negativeControlWithoutTheLookACommandThatIsNeverFlushedWaitsPastTheDeadline() throws Exception {
		this.context.getBean(ChannelCommandRetry.class).buffers().stopLooking();
		RedisFuture<String> get = getNeverFlushed();
		await("the command still waiting").during(DEADLINE.plusSeconds(1))
			.atMost(DEADLINE.plusSeconds(2))
			.until(() -> !get.isDone());
		this.connection.flushCommands();
		assertThat(get.get(5, TimeUnit.SECONDS)).isEqualTo("value");
	}

	/** A GET for a key of a master that was stopped after the client connected to it. */
	private RedisFuture<String> getWhileMasterIsStopped() {
		RedisPod master = cluster.masters().get(0);
		String key = keyServedBy(master);
		this.connection.sync().set(key, "value");
		cluster.stop(master);
		this.stopped = master;
		this.issued = System.nanoTime();
		return this.connection.async().get(key);
	}

	/** A GET written on a connection that flushes only when told to. */
	private RedisFuture<String> getNeverFlushed() {
		String key = keyServedBy(cluster.masters().get(1));
		this.connection.sync().set(key, "value");
		this.connection.setAutoFlushCommands(false);
		this.issued = System.nanoTime();
		return this.connection.async().get(key);
	}

	private void assertTimedOutAtTheDeadline(RedisFuture<String> get) {
		assertThat((java.util.concurrent.Future<String>) get).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(RedisCommandTimeoutException.class)
			.withMessageContaining(DEADLINE.toMillis() + " millisecond(s)");
		// Timed from the first look that saw it waiting, after it was issued: never before the deadline.
		assertThat(Duration.ofNanos(System.nanoTime() - this.issued)).isGreaterThanOrEqualTo(DEADLINE);
	}

	private static String keyServedBy(RedisPod master) {
		for (int i = 0;; i++) {
			String key = "buffered-" + i;
			if (cluster.masterOf(SlotHash.getSlot(key)).equals(master)) {
				return key;
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BufferApplication {

	}

}
