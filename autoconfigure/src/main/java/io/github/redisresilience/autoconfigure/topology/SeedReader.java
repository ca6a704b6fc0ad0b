package io.github.redisresilience.autoconfigure.topology;

import java.lang.reflect.Method;
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

import org.springframework.util.ReflectionUtils;

import io.github.redisresilience.autoconfigure.client.ConnectionClosing;

/**
 * Reads the topology from a seed when no held connection answers (every known address is dead
 * after all pods moved): one new connection to one seed, resolved afresh through the client's
 * resources (DNS, remap rules), one {@code CLUSTER NODES}. The connection is kept for the next
 * seed read until it fails or the watcher is calm again ({@link #release()}): after a mass move
 * the reads of one episode (a read before the cluster has finished moving, another once the
 * client's connections to the new addresses answer) then cost one handshake, not one each.
 * Lettuce's own fallback would connect to every node it knows, then to every seed, then to every
 * node the seeds list.
 */
final class SeedReader {

	/** {@code RedisClusterClient#getFirstUri()}; see {@link #firstUri(RedisClusterClient)}. */
	static final @Nullable Method FIRST_URI = firstUriMethod();

	private final List<HostAndPort> seeds;

	private final Duration timeout;

	private @Nullable RedisClient seedClient;

	/** This episode's seed connection, kept until it fails or {@link #release()}. */
	private @Nullable Held held;

	/** Connections opened to seeds, for tests. */
	private int opened;

	/**
	 * @param seeds the configured seeds ({@code spring.data.redis.cluster.nodes})
	 * @param timeout the longest wait for an answer once the connection is open
	 */
	SeedReader(List<HostAndPort> seeds, Duration timeout) {
		this.seeds = List.copyOf(seeds);
		this.timeout = timeout;
	}

	private static @Nullable Method firstUriMethod() {
		Method method = ReflectionUtils.findMethod(RedisClusterClient.class, "getFirstUri");
		if (method != null) {
			try {
				ReflectionUtils.makeAccessible(method);
			}
			catch (RuntimeException ex) {
				return null;
			}
		}
		return method;
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
		Held connection = connection(client, settings);
		ClusterClientOptions options = (client.getOptions() instanceof ClusterClientOptions cluster) ? cluster
				: ClusterClientOptions.create();
		// Opening the connection gets the connect timeout and a handshake's time, not the answer's:
		// right after a mass move (TLS, dozens of pods starting on the same hosts) a handshake may
		// take longer than a read, and a seed read given up while still opening only opens another.
		// A copy is timed out, never the kept future: its connection, when it comes, is still closed.
		return connection.connection()
			.copy()
			.orTimeout(connectionWait(client).toMillis(), TimeUnit.MILLISECONDS)
			// Timing the command itself out completes it: Lettuce never writes it late.
			.thenCompose((seedConnection) -> seedConnection.async()
				.clusterNodes()
				.toCompletableFuture()
				.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS))
			.thenApply((text) -> TopologyReader.view(text, options.getNodeFilter(), connection.uri()))
			.whenComplete((view, failure) -> {
				if (failure != null) {
					discard(connection);
				}
			});
	}

	/**
	 * A seed's URI with the connection settings Lettuce itself dials every node with: those of
	 * the client's first URI (TLS, peer verification, credentials or their provider, timeout).
	 * The nodes of the client's view do not carry them (Lettuce lists them as plain
	 * {@code redis://} even on a TLS cluster), so they are the fallback only.
	 */
	static RedisURI seedUri(HostAndPort seed, RedisClusterClient client, RedisURI settings) {
		RedisURI first = firstUri(client);
		if (first != null) {
			return RedisURI.builder(first).withHost(seed.getHostText()).withPort(seed.getPort()).build();
		}
		RedisURI uri = RedisURI.create(seed.getHostText(), seed.getPort());
		uri.applyAuthentication(settings);
		uri.applySsl(settings);
		uri.setTimeout(settings.getTimeout());
		return uri;
	}

	/**
	 * Lettuce's {@code RedisClusterClient#getFirstUri()}, protected in Lettuce 6.8 and 7: the client
	 * is Spring Data's, created inside its connection factory, so there is no subclass to ask.
	 */
	private static @Nullable RedisURI firstUri(RedisClusterClient client) {
		Method method = FIRST_URI;
		if (method == null) {
			return null;
		}
		try {
			return (RedisURI) ReflectionUtils.invokeMethod(method, client);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The longest wait for a seed connection: the client's connect timeout for the TCP connect, and
	 * as much again for what follows on the open socket (TLS handshake, {@code HELLO}, {@code AUTH}:
	 * a few round trips). Not the command timeout, which may be a minute.
	 */
	static Duration connectionWait(RedisClusterClient client) {
		return client.getOptions().getSocketOptions().getConnectTimeout().multipliedBy(2);
	}

	/** The kept connection if it is still open, else a new one to a seed picked at random. */
	private synchronized Held connection(RedisClusterClient client, RedisURI settings) {
		Held current = this.held;
		if (current != null && current.isOpen()) {
			return current;
		}
		if (current != null) {
			current.close();
		}
		HostAndPort seed = this.seeds.get(ThreadLocalRandom.current().nextInt(this.seeds.size()));
		RedisURI uri = seedUri(seed, client, settings);
		current = new Held(uri, seedClient(client).connectAsync(StringCodec.UTF8, uri).toCompletableFuture());
		this.held = current;
		this.opened++;
		return current;
	}

	private synchronized void discard(Held connection) {
		connection.close();
		if (this.held == connection) {
			this.held = null;
		}
	}

	/** Closes the kept connection, if any: the watcher is calm again, the next seed read is far off. */
	synchronized void release() {
		Held current = this.held;
		if (current != null) {
			current.close();
			this.held = null;
		}
	}

	synchronized int connectionsOpened() {
		return this.opened;
	}

	private synchronized RedisClient seedClient(RedisClusterClient client) {
		RedisClient current = this.seedClient;
		if (current == null) {
			// The cluster client's resources: its DNS resolver, remap rules and event loops.
			current = RedisClient.create(client.getResources());
			ClientOptions options = client.getOptions();
			// No reconnect: a dropped seed connection is replaced by the next read, to a seed picked
			// afresh, not redialled in the background where nothing counts or bounds it.
			ClientOptions.Builder builder = ClientOptions.builder()
				.autoReconnect(false)
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
		release();
		RedisClient current = this.seedClient;
		if (current != null) {
			// Waited for: the watcher is stopping (see ConnectionClosing).
			ConnectionClosing.await(current.shutdownAsync(0, 2, TimeUnit.SECONDS));
		}
		this.seedClient = null;
	}

	/**
	 * A seed connection, possibly still being opened, and the URI it was opened with.
	 */
	private record Held(RedisURI uri, CompletableFuture<StatefulRedisConnection<String, String>> connection) {

		boolean isOpen() {
			if (!this.connection.isDone()) {
				// Still connecting counts as open: a read waiting on it is not doubled.
				return true;
			}
			return !this.connection.isCompletedExceptionally() && this.connection.join().isOpen();
		}

		void close() {
			this.connection.thenAccept(StatefulRedisConnection::closeAsync);
		}

	}

}
