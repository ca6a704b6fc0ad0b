package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Field;
import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Prepares the cluster client Spring Data's factory created, before its first connection,
 * leaving the factory bean as it is (it is returned unchanged): registers the
 * {@link AcquisitionRetry}, and gives the client's seed addresses the per-attempt timeout again.
 * <p>
 * Spring Data puts its command timeout, which is now the overall deadline of a retried command,
 * on the seed {@link RedisURI}s too, and Lettuce takes more than the command timeout from there:
 * the handshake timeout of every connection, and how long a topology refresh waits for a node
 * (node addresses copy it from the seeds). Left at the overall deadline, a frozen master would
 * hold every new connection and every refresh for that long. The seeds are held in a private
 * field of {@link RedisClusterClient} ({@code initialUris}, the same in Lettuce 6.8 and 7.5),
 * read before the client's first connection.
 */
final class ClusterClientPreparer implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ClusterClientPreparer.class);

	static final String FIELD_NAME = "initialUris";

	private static final @Nullable Field FIELD = ReflectionUtils.findField(RedisClusterClient.class, FIELD_NAME);

	private final ObjectProvider<AttemptTimeouts> timeouts;

	private final ObjectProvider<ChannelCommandRetry> retry;

	ClusterClientPreparer(ObjectProvider<AttemptTimeouts> timeouts, ObjectProvider<ChannelCommandRetry> retry) {
		this.timeouts = timeouts;
		this.retry = retry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof LettuceConnectionFactory factory)) {
			return bean;
		}
		if (!factory.isRunning() || !(factory.getNativeClient() instanceof RedisClusterClient client)) {
			logger.debug("No cluster client to prepare in " + beanName + " (not started, or not a cluster)");
			return bean;
		}
		client.addListener(new AcquisitionRetry(this.retry.getObject()));
		applySeedTimeouts(client, this.timeouts.getObject().attemptTimeout());
		return bean;
	}

	static void applySeedTimeouts(@Nullable AbstractRedisClient client, Duration attemptTimeout) {
		if (!(client instanceof RedisClusterClient) || FIELD == null) {
			return;
		}
		ReflectionUtils.makeAccessible(FIELD);
		Object seeds = ReflectionUtils.getField(FIELD, client);
		if (!(seeds instanceof Iterable<?> uris)) {
			logger.warn("Cannot read the cluster client's seed addresses: connection handshakes and topology "
					+ "refreshes wait up to the overall deadline of a retried command");
			return;
		}
		for (Object uri : uris) {
			if (uri instanceof RedisURI redisUri) {
				redisUri.setTimeout(attemptTimeout);
			}
		}
	}

}
