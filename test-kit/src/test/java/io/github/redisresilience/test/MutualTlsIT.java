package io.github.redisresilience.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A cluster that requires client certificates: the kit presents its own, a client without one
 * is turned away, and the SSL bundle properties carry the client certificate and key.
 */
@RequiresRedis(value = 6, tls = true)
class MutualTlsIT {

	private static LocalRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().replicasPerMaster(0).requireClientCertificates().start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void theKitAdministersTheClusterWithItsClientCertificate() throws IOException {
		assertThat(cluster.isHealthy()).isTrue();
		assertThat(ClusterData.call(cluster, "SET", "mutual", "yes")).isEqualTo("OK");
	}

	@Test
	void aClientWithoutACertificateIsTurnedAway() throws Exception {
		RedisPod pod = cluster.pod(0);
		SSLSocketFactory trustOnly = trustOnly();
		// With TLS 1.3 the server's refusal arrives after the client's side of the handshake.
		assertThatIOException().isThrownBy(() -> {
			try (RespConnection connection = RespConnection.openTls(pod.address(), pod.hostname(), Duration.ofSeconds(1),
					trustOnly)) {
				connection.call("PING");
			}
		});
	}

	@Test
	void sslBundlePropertiesCarryTheClientCertificateAndKey() throws IOException {
		assertThat(cluster.sslBundleProperties("kit"))
			.containsEntry("spring.ssl.bundle.pem.kit.keystore.certificate",
					"file:" + cluster.tlsClientCertificate().toAbsolutePath())
			.containsEntry("spring.ssl.bundle.pem.kit.keystore.private-key", "file:" + cluster.tlsClientKey().toAbsolutePath());
		assertThat(Files.readString(cluster.tlsClientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
	}

	private static SSLSocketFactory trustOnly() throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream in = Files.newInputStream(cluster.tlsCaCertificate())) {
			trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context.getSocketFactory();
	}

}
