package io.github.redisresilience.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.redisresilience.sample.chaos.ChaosConfiguration;
import io.github.redisresilience.test.LocalRedisCluster;

/**
 * Starts the sample on a local Redis Cluster from the test kit, with the traffic generator on and
 * the chaos buttons, as {@link TestSampleApplication} and the browser test run it.
 */
public final class LocalClusterMode {

	/** Boot's graceful shutdown waits up to 30 s for requests; the traffic threads finish theirs first. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(45);

	private LocalClusterMode() {
	}

	/**
	 * Starts the application; the caller owns the cluster and closes it after the application.
	 * @param cluster a running cluster
	 * @param extraArguments more command-line arguments, which win over the defaults
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(LocalRedisCluster cluster, String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit publishes its names in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk", "--sample.traffic.enabled=true", "--sample.chaos.enabled=true"));
		arguments.addAll(List.of(extraArguments));
		SpringApplication application = new SpringApplication(SampleApplication.class, ChaosConfiguration.class);
		application.addInitializers(
				(context) -> context.getBeanFactory().registerSingleton("localRedisCluster", cluster));
		return application.run(arguments.toArray(String[]::new));
	}

	/**
	 * Closes the application and returns once it is closed: when Spring Boot's own shutdown hook
	 * is closing it already, {@link ConfigurableApplicationContext#close()} returns at once.
	 * @param context the application
	 */
	static void close(ConfigurableApplicationContext context) {
		context.close();
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		while (context.isActive() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
	}

	/**
	 * The address of the status page.
	 * @param context the running application
	 * @return the page's URL
	 */
	public static String statusPage(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/";
	}

}
