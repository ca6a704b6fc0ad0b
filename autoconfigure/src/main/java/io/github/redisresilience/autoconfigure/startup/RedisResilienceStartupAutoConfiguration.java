package io.github.redisresilience.autoconfigure.startup;

import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Fail-fast checks at startup, run once Spring Boot's connection factory has created its
 * client: the seed nodes name a cluster the client can reach, the credentials are accepted by
 * every node, and the client accepts the certificate of every node of a TLS cluster.
 * Certificate verification itself stays Spring Boot's and Lettuce's: the remapping resolver
 * hands Lettuce the dialled host name, which is what its SSL engine verifies.
 */
@AutoConfiguration(after = { RedisResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class })
@ConditionalOnClass({ RedisClusterClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean({ LettuceConnectionFactory.class, RedisResilienceProperties.class, AddressRemapper.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
public final class RedisResilienceStartupAutoConfiguration {

	@Bean
	SeedNodesCheck redisResilienceSeedNodesCheck(RedisResilienceProperties properties,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, AddressRemapper addressRemapper) {
		return new SeedNodesCheck(properties.isRequireCluster(), connectionDetails.getIfAvailable(), addressRemapper);
	}

	@Bean
	CredentialsCheck redisResilienceCredentialsCheck(LettuceConnectionFactory connectionFactory,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
		DataRedisConnectionDetails details = connectionDetails.getIfAvailable();
		boolean usernameSet = details != null && details.getUsername() != null;
		// Once the factory has created its client: the check reads the topology with it.
		return new CredentialsCheck(() -> clusterClient(connectionFactory), usernameSet,
				connectionFactory.getPhase() + 1);
	}


	@Bean
	NodeCertificateCheck redisResilienceNodeCertificateCheck(LettuceConnectionFactory connectionFactory,
			AddressRemapper addressRemapper) {
		// After the credentials check (phase + 1), which reads the topology this check dials.
		return new NodeCertificateCheck(() -> clusterClient(connectionFactory), addressRemapper,
				tlsNodeUri(connectionFactory), connectionFactory.getPhase() + 2);
	}

	/** A node's URI as the factory's client builds it from the seeds' settings; {@code null} without TLS. */
	private static @Nullable Function<HostAndPort, RedisURI> tlsNodeUri(LettuceConnectionFactory connectionFactory) {
		LettuceClientConfiguration client = connectionFactory.getClientConfiguration();
		if (!client.isUseSsl()) {
			return null;
		}
		RedisClusterConfiguration cluster = connectionFactory.getClusterConfiguration();
		return (node) -> {
			RedisURI.Builder uri = RedisURI.builder()
				.withHost(node.getHostText())
				.withPort(node.getPort())
				.withSsl(true)
				.withVerifyPeer(client.getVerifyMode())
				.withTimeout(client.getCommandTimeout());
			if (cluster != null && cluster.getPassword().isPresent()) {
				char[] password = cluster.getPassword().get();
				String username = cluster.getUsername();
				if (username != null) {
					uri.withAuthentication(username, password);
				}
				else {
					uri.withPassword(password);
				}
			}
			return uri.build();
		};
	}

	private static @Nullable RedisClusterClient clusterClient(LettuceConnectionFactory connectionFactory) {
		if (!connectionFactory.isRunning()) {
			return null;
		}
		AbstractRedisClient client = connectionFactory.getNativeClient();
		return (client instanceof RedisClusterClient clusterClient) ? clusterClient : null;
	}

}
