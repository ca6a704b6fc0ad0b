package io.github.redisresilience.autoconfigure.tls;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Checks at startup that the client accepts the certificate of every node of a TLS cluster.
 * Verification itself stays Spring Boot's and Lettuce's: the remapping resolver hands Lettuce
 * the dialled host name, which is what its SSL engine verifies.
 */
@AutoConfiguration(after = { RedisResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class })
@ConditionalOnClass({ RedisClusterClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean({ LettuceConnectionFactory.class, AddressRemapper.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
public final class RedisResilienceTlsAutoConfiguration {

	@Bean
	NodeCertificateCheck redisResilienceNodeCertificateCheck(LettuceConnectionFactory connectionFactory,
			AddressRemapper addressRemapper) {
		// After the credentials check (phase + 1), which reads the topology this check dials.
		return new NodeCertificateCheck(() -> clusterClient(connectionFactory), addressRemapper,
				connectionFactory.getPhase() + 2);
	}

	private static @Nullable RedisClusterClient clusterClient(LettuceConnectionFactory connectionFactory) {
		if (!connectionFactory.isRunning()) {
			return null;
		}
		AbstractRedisClient client = connectionFactory.getNativeClient();
		return (client instanceof RedisClusterClient clusterClient) ? clusterClient : null;
	}

}
