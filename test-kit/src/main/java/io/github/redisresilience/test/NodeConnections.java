package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections the running nodes hold: every client's, as an operator does to have clients
 * reconnect, or those from addresses that will never close them themselves.
 */
final class NodeConnections {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final Pods pods;

	private final AdminConnections admin;

	NodeConnections(Pods pods, AdminConnections admin) {
		this.pods = pods;
		this.admin = admin;
	}

	long closeClients() {
		long closed = 0;
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				// SKIPME yes (the default) keeps the kit's own connection.
				Object killed = connection.call("CLIENT", "KILL", "TYPE", "normal");
				closed += (killed instanceof Long count) ? count : 0;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not close the client connections of " + pod, ex);
			}
		}
		logger.info("Closed {} client connection(s) on {} pods", closed, this.pods.up().size());
		return closed;
	}

	/**
	 * Closes the connections the other nodes still hold from cut-off addresses. No FIN or RST ever
	 * comes from a cut-off address, so they stay open until Redis' own timeouts: a master keeps
	 * its lost replica's link for {@code repl-timeout} (60 s) and, stopped with SIGTERM meanwhile,
	 * waits {@code shutdown-timeout} (10 s) for that replica to catch up, which slows down the next
	 * chaos operation by as much.
	 */
	void closeFrom(Set<String> addresses) {
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				for (String client : connection.callForString("CLIENT", "LIST").split("\n")) {
					String peer = field(client, "addr");
					if (peer != null && addresses.contains(peer.substring(0, peer.lastIndexOf(':')))) {
						logger.debug("Closing the connection from {} on {}", peer, pod);
						killClient(connection, peer);
					}
				}
			}
			catch (IOException ex) {
				logger.debug("Could not list the connections of {}", pod, ex);
			}
		}
	}

	private static void killClient(RespConnection connection, String peer) {
		try {
			connection.call("CLIENT", "KILL", "ADDR", peer);
		}
		catch (IOException ex) {
			// Gone in the meantime.
			logger.debug("Could not close the connection from {}", peer, ex);
		}
	}

	private static @Nullable String field(String clientLine, String name) {
		for (String field : clientLine.strip().split(" ")) {
			if (field.startsWith(name + "=") && field.indexOf(':') > 0) {
				return field.substring(name.length() + 1);
			}
		}
		return null;
	}

}
