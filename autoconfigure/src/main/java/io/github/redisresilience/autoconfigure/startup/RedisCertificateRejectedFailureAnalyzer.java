package io.github.redisresilience.autoconfigure.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RedisCertificateRejectedException}: which address the certificate was
 * verified against and which properties decide it. It never suggests turning verification off.
 */
class RedisCertificateRejectedFailureAnalyzer extends AbstractFailureAnalyzer<RedisCertificateRejectedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisCertificateRejectedException cause) {
		String node = cause.isRemapped()
				? "Redis node " + cause.getAnnounced() + ", dialled as " + cause.getDialled()
						+ " through 'redis.resilience.remap.rules',"
				: "Redis node " + cause.getAnnounced() + ", dialled as announced (no remap rule matched),";
		String others = (cause.getRejectedNodes() > 1)
				? " " + (cause.getRejectedNodes() - 1) + " more node(s) were rejected too." : "";
		String reason = cause.getReason().endsWith(".") ? cause.getReason() : cause.getReason() + ".";
		String description = "The TLS certificate of " + node + " was rejected at startup: " + reason + others;
		String action = "The client verifies each node's certificate against the host it dials: the remapped "
				+ "host when a rule in 'redis.resilience.remap.rules' matches, the announced one otherwise. Either "
				+ "issue the nodes' certificates for the names the client dials (subject alternative names), or change "
				+ "'redis.resilience.remap.rules' to map the announced addresses to names the certificates cover"
				+ (cause.isRemapped() ? "" : " (nodes that announce IPs need a rule from their IPs to such names, or "
						+ "Redis 7's cluster-announce-hostname with cluster-preferred-endpoint-type hostname)")
				+ ". If the certificate's issuer is not trusted, add its CA to the SSL bundle named by "
				+ "'spring.data.redis.ssl.bundle' (for example 'spring.ssl.bundle.pem.<name>.truststore.certificate').";
		return new FailureAnalysis(description, action, cause);
	}

}
