package io.github.redisresilience.autoconfigure.topology;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Applies a view to the client without a new connection: reloads the client's partitions in
 * place, then has Lettuce re-point its connections, as its own refresh does after reading.
 * <p>
 * Reloading the partitions alone is not enough: every cluster connection caches the node
 * connection per slot, and only {@code RedisClusterClient#updatePartitionsInConnections()}
 * resets those caches and closes connections to nodes the view no longer lists. That method is
 * protected (present from Lettuce 6.0 to 7.x), so it is called reflectively; where it is missing,
 * the view is applied with Lettuce's full refresh instead, which reads it again over new
 * connections.
 */
final class PartitionsApplier {

	private static final Log logger = LogFactory.getLog(PartitionsApplier.class);

	static final String UPDATE_METHOD = "updatePartitionsInConnections";

	private static final @Nullable Method UPDATE = findUpdate();

	private static @Nullable Method findUpdate() {
		try {
			Method method = RedisClusterClient.class.getDeclaredMethod(UPDATE_METHOD);
			method.setAccessible(true);
			return method;
		}
		catch (NoSuchMethodException | RuntimeException ex) {
			logger.warn("RedisClusterClient." + UPDATE_METHOD + "() is not available (" + ex
					+ "): topology changes are applied with Lettuce's full refresh");
			return null;
		}
	}

	/**
	 * Whether views are applied in place; if not, {@link #apply} runs a full refresh.
	 */
	boolean appliesInPlace() {
		return UPDATE != null;
	}

	/**
	 * Applies a view.
	 * @return completes once the client routes by the view (or by the full refresh's)
	 */
	CompletableFuture<Void> apply(RedisClusterClient client, List<RedisClusterNode> view) {
		Method update = UPDATE;
		if (update == null) {
			return client.refreshPartitionsAsync().toCompletableFuture();
		}
		client.getPartitions().reload(view);
		try {
			update.invoke(client);
			return CompletableFuture.completedFuture(null);
		}
		catch (IllegalAccessException ex) {
			return client.refreshPartitionsAsync().toCompletableFuture();
		}
		catch (InvocationTargetException ex) {
			return CompletableFuture.failedFuture(ex.getCause());
		}
	}

}
