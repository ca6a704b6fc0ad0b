package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose cluster seeds come from a {@link DataRedisConnectionDetails} bean, as
 * Testcontainers' {@code @ServiceConnection} and Docker Compose provide them, with no
 * {@code spring.data.redis.cluster.nodes}: the starter checks those seeds at startup, sees the
 * deployment shape from them, and the client works on the real cluster.
 */
@WithLocalRedisCluster
class ConnectionDetailsSeedsIT {

	static LocalRedisCluster cluster;

	@Test
	void seedsFromAConnectionDetailsBeanReachTheClusterAndTheStartersChecks() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DetailsApplication.class)
			.web(WebApplicationType.NONE)
			// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
			.run("--redis.resilience.dns.resolver=jdk")) {
			assertThat(context.getEnvironment().getProperty("spring.data.redis.cluster.nodes")).isNull();
			assertThat(context).extracting((ctx) -> ctx.getBean(DataRedisConnectionDetails.class))
				.isInstanceOf(KitConnectionDetails.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			for (int i = 0; i < 20; i++) {
				redis.opsForValue().set("details-" + i, "v" + i);
			}
			for (int i = 0; i < 20; i++) {
				assertThat(redis.opsForValue().get("details-" + i)).isEqualTo("v" + i);
			}
			TopologyWatcher watcher = context.getBean(TopologyWatcher.class);
			assertThat(watcher.clusterClient()).as("the watched cluster client").isNotNull();
			DeploymentShape shape = await("the deployment shape, seen from the bean's seeds")
				.atMost(Duration.ofSeconds(30))
				.until(watcher::deploymentShape, Optional::isPresent)
				.get();
			assertThat(shape.describe()).startsWith("seeds via a headless Service");
		}
	}

	@SpringBootApplication
	static class DetailsApplication {

		@Bean
		KitConnectionDetails kitConnectionDetails() {
			return new KitConnectionDetails(cluster.seedNodes());
		}

	}

	static final class KitConnectionDetails implements DataRedisConnectionDetails {

		private final List<Node> nodes;

		KitConnectionDetails(String seeds) {
			this.nodes = java.util.Arrays.stream(seeds.split(","))
				.map((seed) -> new Node(seed.substring(0, seed.lastIndexOf(':')),
						Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1))))
				.toList();
		}

		@Override
		public Cluster getCluster() {
			return () -> this.nodes;
		}

	}

}
