package io.github.redisresilience.benchmarks;

import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisresilience.test.LocalRedisCluster;

/**
 * One cluster per deployment shape, each started the first time a scenario needs it (a run cut
 * down to one shape starts one cluster), all stopped together.
 */
final class Clusters implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Clusters.class);

	private final Map<Shape, LocalRedisCluster> started = new EnumMap<>(Shape.class);

	LocalRedisCluster of(Shape shape) {
		return this.started.computeIfAbsent(shape, (key) -> {
			LocalRedisCluster cluster = key.start();
			System.out.println("[bench] cluster " + cluster.name() + " (" + key.description() + ") on redis-server "
					+ cluster.binary().version() + ", seeds " + key.seeds(cluster));
			return cluster;
		});
	}

	@Override
	public void close() {
		this.started.values().forEach((cluster) -> {
			try {
				cluster.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not close {}", cluster.name(), ex);
			}
		});
		this.started.clear();
	}

}
