package io.github.redisresilience.autoconfigure.logging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import io.lettuce.core.cluster.SlotHash;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads while every pod moves to a new IP and the old IPs hang (the move that
 * makes Lettuce log the most): with the starter's defaults, a few lines of the starter's own and
 * no stack trace; with Lettuce's loggers set by the application, Lettuce's own warnings, which
 * the defaults fold (the negative control, and proof that the application's levels win).
 * <p>
 * Logs are read from the console (logback-test.xml: {@code HH:mm:ss.SSS LEVEL [thread] logger - message},
 * the logger's package abbreviated, {@code io.lettuce} as {@code i.l}).
 */
@ExtendWith(OutputCaptureExtension.class)
class LogsDuringAMoveIT {

	private static final Duration CONDITION_LIMIT = Duration.ofSeconds(60);

	private static final Pattern WARN = Pattern.compile("^\\S+ (WARN|ERROR) ");

	private static final Pattern LETTUCE_WARN = Pattern.compile("^\\S+ (WARN|ERROR) +\\[[^]]*\\] (io\\.lettuce|i\\.l)\\.");

	private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w$.]+\\(");

	private static LocalRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void movingEveryPodLogsTheStartersLinesAndNoLettuceWarningOrStackTrace(CapturedOutput output) {
		String during = logsDuringAMoveOfEveryPod(output);
		List<String> warnings = matching(during, WARN);
		assertThat(matching(during, LETTUCE_WARN)).as("Lettuce warnings during the move:%n%s", during).isEmpty();
		assertThat(matching(during, STACK_FRAME)).as("stack traces during the move:%n%s", during).isEmpty();
		assertThat(during).contains("Redis connections are failing, reconnecting")
			.containsPattern("Redis connections recovered: \\d+ reconnect attempts to \\d+ addresses failed");
		assertThat(warnings).as("warnings during the move:%n%s", String.join("\n", warnings)).hasSizeLessThanOrEqualTo(6);
		System.out.printf("%nWARN lines during a move of every pod, starter defaults: %d%n", warnings.size());
	}

	@Test
	void lettuceLevelsTheApplicationSetsWinAndShowLettucesWarnings(CapturedOutput output) {
		String during = logsDuringAMoveOfEveryPod(output,
				"--logging.level.io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh=INFO",
				"--logging.level.io.lettuce.core.cluster.ClusterTopologyRefreshScheduler=INFO",
				"--logging.level.io.lettuce.core.protocol.ConnectionWatchdog=INFO",
				"--logging.level.io.lettuce.core.protocol.ReconnectionHandler=INFO",
				"--logging.level.io.lettuce.core.cluster.RedisClusterClient=INFO",
				"--logging.level.io.lettuce.core.RedisChannelHandler=INFO");
		List<String> lettuceWarnings = matching(during, LETTUCE_WARN);
		assertThat(lettuceWarnings).as("Lettuce's own warnings when its levels are the application's").isNotEmpty();
		System.out.printf("%nWARN lines during a move of every pod, Lettuce's levels: %d (Lettuce's: %d)%n",
				matching(during, WARN).size(), lettuceWarnings.size());
	}

	/**
	 * A master frozen until its replica is promoted: the operator reads that the client saw the
	 * failover, once, naming the promoted replica, with no stack trace.
	 */
	@Test
	void aFailoverIsOneLineNamingThePromotedReplica(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MoveApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk")) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String key = "failover-log";
			RedisPod master = cluster.masterOf(SlotHash.getSlot(key));
			redis.opsForValue().set(key, "before");
			int before = output.getOut().length();
			cluster.pauseUntilFailover(master);
			RedisPod promoted = cluster.masterOf(SlotHash.getSlot(key));
			cluster.resume(master);
			await("a write after the failover").atMost(CONDITION_LIMIT)
				.ignoreExceptions()
				.untilAsserted(() -> redis.opsForValue().set(key, "after"));
			String failoverLine = "Redis Cluster failover seen: replica " + promoted.nodeId();
			await("the failover line").atMost(CONDITION_LIMIT)
				.until(() -> output.getOut().substring(before).contains(failoverLine));
			String during = output.getOut().substring(before);
			assertThat(during.split(Pattern.quote(failoverLine), -1)).as("failover lines:%n%s", during).hasSize(2);
			assertThat(matching(during, STACK_FRAME)).as("stack traces during the failover:%n%s", during).isEmpty();
		}
	}

	/** Runs traffic through a move of every pod (old IPs black-holed) until the starter's summary. */
	private String logsDuringAMoveOfEveryPod(CapturedOutput output, String... extraArguments) {
		List<String> arguments = new java.util.ArrayList<>(List.of(
				"--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk"));
		arguments.addAll(List.of(extraArguments));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MoveApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger succeeded = new AtomicInteger();
			Thread traffic = new Thread(() -> {
				for (int i = 0; i < 100_000 && running.get(); i++) {
					try {
						redis.opsForValue().set("logs-" + (i % 50), "v" + i);
						succeeded.incrementAndGet();
					}
					catch (RuntimeException ex) {
						// Counted by the assertions on the log, not here.
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
				}
			}, "logs-traffic");
			traffic.setDaemon(true);
			traffic.start();
			try {
				await().atMost(CONDITION_LIMIT).until(() -> succeeded.get() >= 10);
				int before = output.getOut().length();
				cluster.moveAllPods(OldAddresses.BLACK_HOLE);
				int afterMove = succeeded.get();
				await("traffic after the heal").atMost(CONDITION_LIMIT).until(() -> succeeded.get() >= afterMove + 20);
				if (extraArguments.length == 0) {
					await("the starter's summary").atMost(CONDITION_LIMIT)
						.until(() -> output.getOut().substring(before).contains("Redis connections recovered"));
				}
				return output.getOut().substring(before);
			}
			finally {
				running.set(false);
				try {
					traffic.join(TimeUnit.SECONDS.toMillis(30));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	private static List<String> matching(String text, Pattern pattern) {
		return text.lines().filter((line) -> pattern.matcher(line).find()).toList();
	}

	@SpringBootApplication
	static class MoveApplication {

	}

}
