package io.github.redisresilience.benchmarks;

import java.util.Optional;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RedisServerBinary;

/**
 * The deployment shapes of the architecture notes, each on a cluster of its own: what the pods
 * announce and what the clients are given as seeds.
 */
enum Shape {

	/** Shape 1: pods announce their IPs; the seed is the headless Service name, listing every ready pod. */
	HEADLESS("headless", "seed: headless Service name; pods announce IPs"),

	/** Shape 2: the seed is a ClusterIP Service: one virtual address, each connection to a random ready pod. */
	CLUSTER_IP("clusterip", "seed: ClusterIP Service; pods announce IPs"),

	/** Shape 3: pods announce host names; redirects carry IPs (the Redis default). */
	HOSTNAMES_IP("hostnames-ip", "seed: headless Service name; pods announce host names, preferred endpoint ip"),

	/** Shape 3: pods announce host names, and redirects and CLUSTER SLOTS carry them. */
	HOSTNAMES("hostnames", "seed: headless Service name; pods announce host names, preferred endpoint hostname");

	private final String id;

	private final String description;

	Shape(String id, String description) {
		this.id = id;
		this.description = description;
	}

	String id() {
		return this.id;
	}

	String description() {
		return this.description;
	}

	/** Why this machine cannot run the shape, if it cannot: announced host names need Redis 7. */
	Optional<String> unsupportedReason() {
		if (this == HOSTNAMES_IP || this == HOSTNAMES) {
			RedisServerBinary binary = RedisServerBinary.get();
			if (!binary.isAtLeast(7)) {
				return Optional.of("announced host names need Redis 7; redis-server is " + binary.version());
			}
		}
		return Optional.empty();
	}

	LocalRedisCluster start() {
		LocalRedisCluster.Builder builder = LocalRedisCluster.builder().name("bench-" + this.id);
		return switch (this) {
			case HEADLESS, CLUSTER_IP -> builder.start();
			case HOSTNAMES_IP -> builder.announceHostnames(PreferredEndpoint.IP).start();
			case HOSTNAMES -> builder.announceHostnames(PreferredEndpoint.HOSTNAME).start();
		};
	}

	/** What the clients get in {@code spring.data.redis.cluster.nodes}. */
	String seeds(LocalRedisCluster cluster) {
		if (this == CLUSTER_IP) {
			cluster.startClusterIpService();
			return cluster.clusterIpServiceName() + ":" + cluster.port();
		}
		return cluster.seedNodes();
	}

	@Override
	public String toString() {
		return this.id;
	}

}
