package io.github.redisresilience.autoconfigure.startup;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;


import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Connects once to every node of a TLS cluster at startup, so that a certificate the client
 * rejects (a name it does not cover, an issuer the SSL bundle does not trust) stops the
 * application with {@link RedisCertificateRejectedException} naming the announced and the
 * dialled address, instead of failing the commands of that node's slots later: the topology
 * is read from the seeds, whose names certificates usually cover, while commands go to the
 * nodes' own addresses. Nothing happens without TLS; any other failure is left to the client's
 * retries, and the check never holds up the startup for longer than {@link #MAX_WAIT}.
 * <p>
 * The nodes are dialled through the cluster client's own resources and options, so through the
 * same remapping and with the same trust material and verification mode as the application.
 */
final class NodeCertificateCheck extends StartupCheck {

	private static final Log logger = LogFactory.getLog(NodeCertificateCheck.class);

	private final AddressRemapper remapper;

	private final @Nullable Function<HostAndPort, RedisURI> tlsNodeUri;

	/**
	 * Create a check.
	 * @param clientSupplier the application's cluster client, once created
	 * @param remapper the remapping the client applies, to name the dialled address
	 * @param tlsNodeUri how the application's client connects to a node, announced address in;
	 * {@code null} when the application does not use TLS
	 * @param phase the lifecycle phase
	 */
	NodeCertificateCheck(Supplier<@Nullable RedisClusterClient> clientSupplier, AddressRemapper remapper,
			@Nullable Function<HostAndPort, RedisURI> tlsNodeUri, int phase) {
		super(clientSupplier, phase);
		this.remapper = remapper;
		this.tlsNodeUri = tlsNodeUri;
	}

	/** Nothing to check without TLS. */
	@Override
	boolean applies() {
		return this.tlsNodeUri != null;
	}

	@Override
	void check(RedisClusterClient client) {
		Function<HostAndPort, RedisURI> nodeUri = this.tlsNodeUri;
		if (nodeUri == null) {
			return;
		}
		List<RedisURI> nodes = nodes(client, nodeUri);
		if (nodes.isEmpty()) {
			return;
		}
		logger.debug("Checking the TLS certificates of " + nodes.size() + " Redis Cluster nodes");
		RedisClient nodeClient = RedisClient.create(client.getResources());
		nodeClient.setOptions(client.getOptions());
		try {
			checkCertificates(nodeClient, nodes);
		}
		finally {
			// Closes the connections it made; the resources are the application's and keep running.
			nodeClient.shutdown(Duration.ZERO, MAX_WAIT);
		}
	}

	/**
	 * The nodes of the topology, as the client connects to them: Lettuce connects to a node with
	 * the settings of the seed URIs (TLS, verification, credentials) and the node's announced
	 * address, which the node URIs of the topology do not always carry.
	 */
	private static List<RedisURI> nodes(RedisClusterClient client, Function<HostAndPort, RedisURI> nodeUri) {
		try {
			List<RedisURI> nodes = new ArrayList<>();
			for (RedisClusterNode node : client.getPartitions()) {
				RedisURI announced = node.getUri();
				if (announced != null) {
					nodes.add(nodeUri.apply(HostAndPort.of(announced.getHost(), announced.getPort())));
				}
			}
			return nodes;
		}
		catch (RuntimeException ex) {
			// No topology yet: the seeds are not reachable, which the client keeps retrying.
			logger.debug("Node certificates not checked at startup: no topology", ex);
			return List.of();
		}
	}

	private void checkCertificates(RedisClient nodeClient, List<RedisURI> nodes) {
		Map<RedisURI, CompletableFuture<StatefulRedisConnection<String, String>>> attempts = new LinkedHashMap<>();
		for (RedisURI node : nodes) {
			attempts.put(node, nodeClient.connectAsync(StringCodec.UTF8, node).toCompletableFuture());
		}
		long deadline = System.nanoTime() + MAX_WAIT.toNanos();
		Map<RedisURI, CertificateException> rejected = new LinkedHashMap<>();
		attempts.forEach((node, attempt) -> {
			CertificateException reason = certificateFailure(
					failureOf(attempt, deadline, logger, "A node did not answer (certificate not checked)"));
			if (reason != null) {
				rejected.put(node, reason);
			}
		});
		if (rejected.isEmpty()) {
			return;
		}
		Map.Entry<RedisURI, CertificateException> first = rejected.entrySet().iterator().next();
		HostAndPort announced = HostAndPort.of(first.getKey().getHost(), first.getKey().getPort());
		HostAndPort dialled = this.remapper.map(announced);
		// The JDK's exception as the cause, not Lettuce's: its messages quote URIs, which may
		// carry a user name.
		throw new RedisCertificateRejectedException(announced.toString(), dialled.toString(),
				String.valueOf(first.getValue().getMessage()), rejected.size(), first.getValue());
	}

	/**
	 * Find the certificate problem among the causes and suppressed exceptions of a failed
	 * connection: the JDK reports a rejected certificate as an {@code SSLHandshakeException}
	 * caused by a {@link CertificateException}, which Netty and Lettuce wrap in their own.
	 * @param failure the failure
	 * @return the certificate problem, or {@code null} when the connection failed for another
	 * reason
	 */
	static @Nullable CertificateException certificateFailure(@Nullable Throwable failure) {
		return FailureCauses.find(failure,
				(candidate) -> (candidate instanceof CertificateException certificate) ? certificate : null);
	}

}
