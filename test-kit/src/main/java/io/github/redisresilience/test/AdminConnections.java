package io.github.redisresilience.test;

import java.io.IOException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Opens the kit's own administration connections to pods: to the pod's current IP, over TLS when
 * the cluster uses it, authenticated when it has a password.
 */
final class AdminConnections {

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(1);

	private final ClusterTls tls;

	private final @Nullable String password;

	AdminConnections(ClusterTls tls, @Nullable String password) {
		this.tls = tls;
		this.password = password;
	}

	String callOn(RedisPod pod, String... command) throws IOException {
		try (RespConnection connection = connect(pod)) {
			return connection.callForString(command);
		}
	}

	boolean answersPing(RedisPod pod) {
		try {
			return "PONG".equals(callOn(pod, "PING"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	RespConnection connect(RedisPod pod) throws IOException {
		return connect(pod, ADMIN_TIMEOUT);
	}

	RespConnection connect(RedisPod pod, Duration timeout) throws IOException {
		KitTls currentTls = this.tls.current();
		// Over TLS the kit dials the pod's IP and verifies its stable name, which is all the
		// certificate holds: the kit does not depend on its own DNS to administer the cluster.
		RespConnection connection = (currentTls != null)
				? RespConnection.openTls(pod.address(), pod.hostname(), timeout, currentTls.socketFactory())
				: RespConnection.open(pod.address(), timeout);
		if (this.password == null) {
			return connection;
		}
		try {
			connection.call("AUTH", this.password);
			return connection;
		}
		catch (IOException ex) {
			connection.close();
			throw ex;
		}
	}

}
