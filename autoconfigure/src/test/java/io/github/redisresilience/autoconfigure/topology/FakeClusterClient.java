package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;

/**
 * A cluster client that reaches no node: its connects fail, its full refreshes complete as the
 * test says, with the view the test sets. Shut it down after the test: Lettuce gives it client
 * resources of its own.
 */
final class FakeClusterClient extends RedisClusterClient {

	private Partitions partitions = new Partitions();

	private CompletableFuture<Void> refresh = CompletableFuture.completedFuture(null);

	private List<RedisClusterNode> afterRefresh = List.of();

	final AtomicInteger refreshes = new AtomicInteger();

	final AtomicInteger connects = new AtomicInteger();

	void view(List<RedisClusterNode> nodes) {
		Partitions view = new Partitions();
		view.addAll(nodes);
		view.updateCache();
		this.partitions = view;
	}

	/** Full refreshes complete with this, and then the view is {@code after}. */
	void refreshes(CompletableFuture<Void> outcome, List<RedisClusterNode> after) {
		this.refresh = outcome;
		this.afterRefresh = after;
	}

	@Override
	public Partitions getPartitions() {
		return this.partitions;
	}

	@Override
	public CompletionStage<Void> refreshPartitionsAsync() {
		this.refreshes.incrementAndGet();
		return this.refresh.thenRun(() -> view(this.afterRefresh));
	}

	@Override
	public <K, V> CompletableFuture<StatefulRedisClusterConnection<K, V>> connectAsync(RedisCodec<K, V> codec) {
		this.connects.incrementAndGet();
		return CompletableFuture.failedFuture(new RedisConnectionException("no node answers"));
	}

	void shutDown() {
		shutdown(Duration.ZERO, Duration.ZERO);
	}

}
