package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A cluster whose pods speak TLS only: the kit administers it over TLS, verifying each pod's
 * host name, replicas sync over TLS, and it survives moving every pod.
 */
@RequiresRedis(value = 6, tls = true)
@WithLocalRedisCluster(masters = 3, replicasPerMaster = 1, shared = false, tls = true)
class TlsClusterIT {

	static LocalRedisCluster cluster;

	@Test
	void certificateCoversTheStableNamesAndPodIpNamesButNoAddress() throws IOException {
		assertThat(cluster.isTls()).isTrue();
		assertThat(Files.readString(cluster.tlsCaCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(cluster.tlsCertificateNames()).contains(cluster.serviceName(), cluster.pod(0).hostname(),
				"*." + cluster.podIpDomain());
		assertThat(cluster.tlsCertificateNames()).noneMatch((name) -> Character.isDigit(name.charAt(0)));
	}

	@Test
	void plainTextClientsGetNoAnswer() {
		InetSocketAddress address = cluster.pod(0).address();
		assertThatIOException().isThrownBy(() -> {
			try (RespConnection connection = RespConnection.open(address, Duration.ofSeconds(1))) {
				connection.call("PING");
			}
		});
	}

	@Test
	void aClientVerifyingAnotherNameRejectsThePod() throws IOException {
		RedisPod pod = cluster.pod(0);
		assertThatIOException()
			.isThrownBy(() -> RespConnection.openTls(pod.address(), "not-in-the-certificate.example", Duration.ofSeconds(1),
					cluster.tlsMaterial().socketFactory()).close())
			.isInstanceOf(SSLHandshakeException.class);
	}

	@Test
	void writesReplicateAndSurviveMovingEveryPod() throws IOException {
		Map<String, String> written = ClusterData.writeKeys(cluster, "tls", 50);
		for (RedisPod replica : cluster.replicas()) {
			try (RespConnection connection = cluster.connect(replica)) {
				assertThat(connection.callForString("INFO", "replication")).contains("master_link_status:up");
			}
		}

		ChaosReport report = cluster.moveAllPods(OldAddresses.REFUSE);

		assertThat(report.addressChanges()).hasSize(cluster.pods().size());
		for (Map.Entry<String, String> entry : written.entrySet()) {
			assertThat(ClusterData.get(cluster, entry.getKey())).isEqualTo(entry.getValue());
		}
	}

}
