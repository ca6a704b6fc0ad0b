package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * Reads the topology from a seed when no held connection answers (every known address is dead
 * after all pods moved): one new connection to one seed, resolved afresh through the client's
 * resources (DNS, remap rules), one {@code CLUSTER NODES}, closed. Lettuce's own fallback would
 * connect to every node it knows, then to every seed, then to every node the seeds list.
 */
final class SeedReader {

	private final List<HostAndPort> seeds;

	private final Duration timeout;

	private @Nullable RedisClient seedClient;

	/**
	 * @param seeds the configured seeds ({@code spring.data.redis.cluster.nodes})
	 * @param timeout the longest wait for a connection and an answer
	 */
	SeedReader(List<HostAndPort> seeds, Duration timeout) {
		this.seeds = List.copyOf(seeds);
		this.timeout = timeout;
	}

	boolean hasSeeds() {
		return !this.seeds.isEmpty();
	}

	/**
	 * Reads the view of one seed, picked at random.
	 * @param client the client whose resources, options and connection settings apply
	 * @param settings a node URI of the client's view to copy credentials, TLS and timeout from
	 * @return the view
	 */
	CompletableFuture<List<RedisClusterNode>> read(RedisClusterClient client, RedisURI settings) {
		HostAndPort seed = this.seeds.get(ThreadLocalRandom.current().nextInt(this.seeds.size()));
		RedisURI uri = RedisURI.create(seed.getHostText(), seed.getPort());
		uri.applyAuthentication(settings);
		uri.applySsl(settings);
		uri.setTimeout(settings.getTimeout());
		ClusterClientOptions options = (client.getOptions() instanceof ClusterClientOptions cluster) ? cluster
				: ClusterClientOptions.create();
		CompletableFuture<StatefulRedisConnection<String, String>> connection = seedClient(client)
			.connectAsync(StringCodec.UTF8, uri)
			.toCompletableFuture();
		return connection.thenCompose((seedConnection) -> seedConnection.async().clusterNodes().toCompletableFuture())
			.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApply((text) -> TopologyReader.view(text, options.getNodeFilter(), uri))
			.whenComplete((view, failure) -> connection.thenAccept(StatefulRedisConnection::closeAsync));
	}

	private synchronized RedisClient seedClient(RedisClusterClient client) {
		RedisClient current = this.seedClient;
		if (current == null) {
			// The cluster client's resources: its DNS resolver, remap rules and event loops.
			current = RedisClient.create(client.getResources());
			ClientOptions options = client.getOptions();
			ClientOptions.Builder builder = ClientOptions.builder()
				.socketOptions(options.getSocketOptions())
				.sslOptions(options.getSslOptions());
			if (options.getConfiguredProtocolVersion() != null) {
				builder.protocolVersion(options.getConfiguredProtocolVersion());
			}
			current.setOptions(builder.build());
			this.seedClient = current;
		}
		return current;
	}

	synchronized void close() {
		RedisClient current = this.seedClient;
		if (current != null) {
			// Waited for: the watcher is stopping (see ConnectionClosing).
			ConnectionClosing.await(current.shutdownAsync(0, 2, TimeUnit.SECONDS));
		}
		this.seedClient = null;
	}

}
