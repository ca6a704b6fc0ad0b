package io.github.redisresilience.sample;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.redisresilience.test.LocalRedisCluster;

/**
 * Runs the sample against a local Redis Cluster from the test kit, with traffic and the chaos
 * buttons on its status page: {@code ./mvnw -Psample -pl sample-app -am verify -DskipTests}.
 * Arguments are passed to the application, e.g. {@code --server.port=9090}.
 */
public final class TestSampleApplication {

	private TestSampleApplication() {
	}

	public static void main(String[] args) {
		LocalRedisCluster cluster = LocalRedisCluster.builder().start();
		Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "local-redis-cluster-close"));
		ConfigurableApplicationContext context = LocalClusterMode.start(cluster, args);
		String url = LocalClusterMode.statusPage(context);
		// A person started this from a terminal and waits for the address to open.
		System.out.printf("%n  Sample application on a local Redis Cluster (%s), seeds %s%n  Status page: %s%n"
				+ "  Stop with Ctrl+C.%n%n", cluster.binary().version(), cluster.seedNodes(), url);
	}

}
