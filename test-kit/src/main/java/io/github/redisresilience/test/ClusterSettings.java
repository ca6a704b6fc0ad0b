package io.github.redisresilience.test;

import java.time.Duration;
import java.util.Map;

import io.github.redisresilience.test.LocalRedisCluster.CertificateNames;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LocalRedisCluster.Builder} was set to when it started the cluster, for the classes
 * that run it.
 *
 * @param masters the number of masters at start
 * @param replicasPerMaster the replicas of each master at start
 * @param port the client port of every pod
 * @param nodeTimeout {@code cluster-node-timeout}
 * @param healTimeout the longest wait for a healthy cluster
 * @param readinessDelay how long a frozen pod stays ready, {@code null} for as long as it is frozen
 * @param dnsTtl the TTL of the DNS server's records
 * @param announceHostnames whether pods announce their host names
 * @param preferredEndpointType the value of {@code cluster-preferred-endpoint-type}
 * @param extraConfig extra {@code redis.conf} directives, in order
 * @param password the default user's password, or {@code null}
 * @param aclUsername the ACL user, or {@code null}
 * @param aclPassword the ACL user's first password, or {@code null}
 * @param certificateNames the names of a TLS cluster's certificate, {@code null} without TLS
 * @param requireClientCertificates whether pods require client certificates
 * @param binary the redis-server binary
 */
record ClusterSettings(int masters, int replicasPerMaster, int port, Duration nodeTimeout, Duration healTimeout,
		@Nullable Duration readinessDelay, Duration dnsTtl, boolean announceHostnames, String preferredEndpointType,
		Map<String, String> extraConfig, @Nullable String password, @Nullable String aclUsername,
		@Nullable String aclPassword, @Nullable CertificateNames certificateNames, boolean requireClientCertificates,
		RedisServerBinary binary) {

	/** The cluster bus port, 10000 above the client port as Redis sets it. */
	int busPort() {
		return this.port + 10000;
	}

}
