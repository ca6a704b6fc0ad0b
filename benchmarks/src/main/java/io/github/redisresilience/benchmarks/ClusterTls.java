package io.github.redisresilience.benchmarks;

import java.util.Map;

import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import io.github.redisresilience.test.LocalRedisCluster;

/**
 * How every client trusts a TLS cluster of the kit: Spring applications through an SSL bundle
 * (Boot's properties, full peer verification), Redisson through a trust manager factory, the
 * sampler through a socket factory, all from the cluster's CA.
 *
 * @param springProperties the SSL bundle properties for {@code spring.data.redis}
 * @param trustManagerFactory trusts the cluster's CA
 * @param socketFactory TLS sockets trusting the cluster's CA
 */
record ClusterTls(Map<String, String> springProperties, TrustManagerFactory trustManagerFactory,
		SSLSocketFactory socketFactory) {

	static ClusterTls of(LocalRedisCluster cluster) {
		PemSslStoreDetails trust = PemSslStoreDetails
			.forCertificate("file:" + cluster.tlsCaCertificate().toAbsolutePath());
		SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null, trust));
		return new ClusterTls(cluster.sslBundleProperties("bench"), bundle.getManagers().getTrustManagerFactory(),
				bundle.createSslContext().getSocketFactory());
	}

}
