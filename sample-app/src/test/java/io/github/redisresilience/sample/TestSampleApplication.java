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
		// The kit stops its pods when the JVM exits, also when the application fails to start.
		LocalRedisCluster cluster = LocalRedisCluster.builder().start();
		ConfigurableApplicationContext context = LocalClusterMode.start(cluster, args);
		// Ctrl+C: the application stops while the cluster still answers, then the cluster stops.
		// Otherwise Lettuce logs reconnect warnings with stack traces for seconds while the app stops.
		cluster.closeFirstOnExit(() -> {
			LocalClusterMode.close(context);
			System.out.printf("%n  Application stopped; stopping the local Redis Cluster.%n");
		});
		String url = LocalClusterMode.statusPage(context);
		// A person started this from a terminal and waits for the address to open.
		System.out.printf("%n  Sample application on a local Redis Cluster (%s), seeds %s%n  Status page: %s%n"
				+ "  The client's view of the topology: %sactuator/redistopology%n  Stop with Ctrl+C.%n%n",
				cluster.binary().version(), cluster.seedNodes(), url, url);
	}

}
