package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.client.OwnClusterConnection;

/**
 * Reads the topology with one {@code CLUSTER NODES} over a connection already held: the
 * application's own cluster connection when Spring Data shares one (its default), else one
 * cluster connection of the reader's own, opened once through the client (remap rules, DNS,
 * credentials, TLS). Lettuce keeps the node connections of either and re-points them when a node
 * moves, so a read costs no connect and no handshake unless the node is new to the connection or
 * moved; over the application's connection it costs no connection of its own at all.
 * <p>
 * The view is made the way Lettuce's own refresh makes it: parsed by {@link ClusterPartitionParser},
 * nodes without a usable address left out, the client's node filter applied, and the connection
 * settings of the client's URIs (credentials, TLS, timeout) copied onto every node's URI.
 */
final class TopologyReader {

	private final Duration timeout;

	private final Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> applicationConnection;

	/**
	 * A connect that failed is tried again on the next read; the watcher falls back to Lettuce's
	 * refresh through the seeds meanwhile.
	 */
	private final OwnClusterConnection connection = new OwnClusterConnection();

	/**
	 * @param timeout the longest wait for an answer; a read that takes longer fails, the next one
	 * asks another node
	 */
	TopologyReader(Duration timeout) {
		this(timeout, () -> null);
	}

	/**
	 * @param timeout the longest wait for an answer; a read that takes longer fails, the next one
	 * asks another node
	 * @param applicationConnection the application's shared cluster connection, if it has one
	 * open, asked before every read
	 */
	TopologyReader(Duration timeout, Supplier<@Nullable StatefulRedisClusterConnection<?, ?>> applicationConnection) {
		this.timeout = timeout;
		this.applicationConnection = applicationConnection;
	}

	/**
	 * Reads the view of one node.
	 * @param client the client whose connection settings apply
	 * @param source the node to ask, by ID; it must be in the client's view
	 * @param sourceUri the node's URI in the client's view, whose connection settings are copied
	 * @return the view, or a failure when the node did not answer in time
	 */
	CompletableFuture<List<RedisClusterNode>> read(RedisClusterClient client, String source, RedisURI sourceUri) {
		Predicate<RedisClusterNode> filter = (client.getOptions() instanceof ClusterClientOptions options)
				? options.getNodeFilter() : (node) -> true;
		StatefulRedisClusterConnection<?, ?> shared = this.applicationConnection.get();
		AtomicReference<@Nullable CompletableFuture<String>> sent = new AtomicReference<>();
		CompletableFuture<String> answer;
		if (shared != null && SharedClusterConnection.isNotClosed(shared)) {
			// The reader's own connection is no longer needed: one connection per node is enough.
			this.connection.closeLater();
			// By address, as Lettuce routes commands by slot: a connection asked for by node ID is
			// a second one to the same node.
			answer = shared.getConnectionAsync(sourceUri.getHost(), sourceUri.getPort())
				.thenCompose((node) -> clusterNodes(node, sent));
		}
		else {
			answer = this.connection.of(client).thenCompose((cluster) -> cluster.getConnectionAsync(source))
				.thenCompose((node) -> clusterNodes(node, sent));
		}
		return answer.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((text, failure) -> cancelUnanswered(sent.get(), failure))
			.thenApply((text) -> view(text, filter, sourceUri));
	}

	private static CompletableFuture<String> clusterNodes(StatefulRedisConnection<?, ?> node,
			AtomicReference<@Nullable CompletableFuture<String>> sent) {
		CompletableFuture<String> command = node.async().clusterNodes().toCompletableFuture();
		sent.set(command);
		return command;
	}

	/**
	 * A read given up on is cancelled: Lettuce would otherwise keep it queued on a connection that
	 * is reconnecting and send it, with every other read given up on, once it is back, long after
	 * the watcher has read the view elsewhere. Lettuce writes no command that is done.
	 */
	private static void cancelUnanswered(@Nullable CompletableFuture<String> command, @Nullable Throwable failure) {
		if (failure != null && command != null) {
			command.cancel(false);
		}
	}

	static List<RedisClusterNode> view(String clusterNodes, Predicate<? super RedisClusterNode> filter,
			RedisURI source) {
		List<RedisClusterNode> nodes = new ArrayList<>();
		for (RedisClusterNode node : ClusterPartitionParser.parse(clusterNodes)) {
			if (node.is(NodeFlag.MYSELF) && !usable(node)) {
				// A node that does not know its own address yet lists itself without a host, as
				// Lettuce's refresh sees it: it is where the client reached it.
				node.setUri(RedisURI.create(source.getHost(), source.getPort()));
			}
			if (usable(node) && filter.test(node)) {
				RedisURI uri = node.getUri();
				uri.applyAuthentication(source);
				uri.applySsl(source);
				uri.setTimeout(source.getTimeout());
				nodes.add(node);
			}
		}
		return nodes;
	}

	/** As Lettuce's refresh: a node without an address cannot be routed to. */
	private static boolean usable(RedisClusterNode node) {
		RedisURI uri = node.getUri();
		return node.getNodeId() != null && !node.is(NodeFlag.NOADDR) && uri != null && uri.getPort() != 0
				&& uri.getHost() != null && !uri.getHost().isEmpty();
	}

	/** Closes the reader's own connection, if any, and waits for it: the watcher is stopping. */
	void close() {
		this.connection.closeNow();
	}

}
