package io.github.redisresilience.test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A cluster's TLS material, made at start when the builder asked for TLS: what the pods serve, the
 * kit's own connections trust, and clients are told to trust.
 */
final class ClusterTls {

	private final String cluster;

	/** Made at start when the builder asked for TLS; the names do not change when pods move. */
	private volatile @Nullable KitTls tls;

	ClusterTls(String cluster) {
		this.cluster = cluster;
	}

	void generate(Path directory, List<String> names) {
		this.tls = KitTls.generate(directory, names);
	}

	/** The material, or {@code null} for a cluster without TLS. */
	@Nullable KitTls current() {
		return this.tls;
	}

	boolean isEnabled() {
		return this.tls != null;
	}

	KitTls require() {
		KitTls current = this.tls;
		if (current == null) {
			throw new IllegalStateException(this.cluster + " does not use TLS: start it with LocalRedisCluster.builder().tls()");
		}
		return current;
	}

	Map<String, String> sslBundleProperties(String bundleName, boolean requireClientCertificates) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.ssl.bundle.pem." + bundleName + ".truststore.certificate",
				"file:" + require().caCertificate().toAbsolutePath());
		if (requireClientCertificates) {
			properties.put("spring.ssl.bundle.pem." + bundleName + ".keystore.certificate",
					"file:" + require().clientCertificate().toAbsolutePath());
			properties.put("spring.ssl.bundle.pem." + bundleName + ".keystore.private-key",
					"file:" + require().clientKey().toAbsolutePath());
		}
		properties.put("spring.data.redis.ssl.enabled", "true");
		properties.put("spring.data.redis.ssl.bundle", bundleName);
		return properties;
	}

}
