package io.github.redisresilience.sample;

import org.springframework.boot.SpringApplication;

import io.github.redisresilience.test.LocalRedisCluster;

/**
 * Runs the sample against a local Redis Cluster from the test kit: {@code ./mvnw -Psample -pl sample-app -am verify}.
 */
public final class TestSampleApplication {

	private TestSampleApplication() {
	}

	public static void main(String[] args) {
		LocalRedisCluster cluster = LocalRedisCluster.builder().start();
		Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "local-redis-cluster-close"));
		// The kit publishes its names in the JVM's hosts file, which only the JDK resolver reads.
		SpringApplication.from(SampleApplication::main)
			.run("--spring.data.redis.cluster.nodes=" + cluster.seedNodes(), "--redis.resilience.dns.resolver=jdk");
	}

}
