package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeedReaderTests {

	private final ClientResources resources = ClientResources.create();

	private RedisClusterClient client;

	@AfterEach
	void shutdown() {
		if (this.client != null) {
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		this.resources.shutdown();
	}

	/**
	 * The nodes of the client's view are plain {@code redis://} URIs even on a TLS cluster: a seed
	 * dialled with their settings would speak plain text to a TLS port and be reset.
	 */
	@Test
	void seedsAreDialledWithTheSettingsOfTheClientsFirstUriNotThoseOfAViewsNode() {
		RedisURI first = RedisURI.builder()
			.withHost("redis-headless")
			.withPort(6379)
			.withSsl(true)
			.withVerifyPeer(SslVerifyMode.CA)
			.withAuthentication("app", "secret")
			.withTimeout(Duration.ofSeconds(3))
			.build();
		this.client = RedisClusterClient.create(this.resources, first);
		RedisURI viewNode = RedisURI.create("redis://127.0.0.1:6379");
		RedisURI seed = SeedReader.seedUri(HostAndPort.of("redis", 7000), this.client, viewNode);
		assertThat(seed.getHost()).isEqualTo("redis");
		assertThat(seed.getPort()).isEqualTo(7000);
		assertThat(seed.isSsl()).isTrue();
		assertThat(seed.getVerifyMode()).isEqualTo(SslVerifyMode.CA);
		// Lettuce 7 has no getUsername(): credentials come from the provider on both lines.
		RedisCredentials credentials = seed.getCredentialsProvider().resolveCredentials().block(Duration.ofSeconds(1));
		assertThat(credentials).isNotNull();
		assertThat(credentials.getUsername()).isEqualTo("app");
		assertThat(credentials.getPassword()).containsExactly("secret".toCharArray());
		assertThat(seed.getTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void lettucesFirstUriIsReachable() {
		assertThat(SeedReader.FIRST_URI).as("RedisClusterClient#getFirstUri").isNotNull();
	}

}
