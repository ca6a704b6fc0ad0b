package io.github.redisresilience.test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An ACL user's password rotated the way operators do it: the new one added on every node, the
 * old one removed, client connections closed so that clients authenticate again; a pod started
 * afterwards knows only the passwords in force.
 */
class AclPasswordRotationIT {

	private static final String USER = "app";

	@Test
	void rotatesTheAclPasswordOnEveryNode(@TempDir Path work) throws IOException {
		try (LocalRedisCluster cluster = LocalRedisCluster.builder()
			.replicasPerMaster(0)
			.password("Adm1n-0a1b")
			.aclUser(USER, "Old-5e6f")
			.workDirectory(work)
			.start()) {
			RedisPod pod = cluster.pod(0);
			try (RespConnection open = authenticated(pod, "Old-5e6f")) {
				cluster.addAclPassword(USER, "New-7c8d");

				for (RedisPod each : cluster.pods()) {
					authenticated(each, "Old-5e6f").close();
					authenticated(each, "New-7c8d").close();
				}

				cluster.removeAclPassword(USER, "Old-5e6f");

				for (RedisPod each : cluster.pods()) {
					assertThatExceptionOfType(RespConnection.RedisErrorReply.class)
						.isThrownBy(() -> authenticated(each, "Old-5e6f"))
						.withMessageStartingWith("WRONGPASS");
					authenticated(each, "New-7c8d").close();
				}
				assertThat(open.callForString("PING")).as("Redis keeps connections authenticated before").isEqualTo("PONG");

				assertThat(cluster.closeClientConnections()).isPositive();

				assertThatIOException().as("closed").isThrownBy(() -> open.call("PING"));
			}
			cluster.restart(pod);
			authenticated(pod, "New-7c8d").close();
			assertThatExceptionOfType(RespConnection.RedisErrorReply.class).isThrownBy(() -> authenticated(pod, "Old-5e6f"));
			assertThat(cluster.isHealthy()).as("replication and cluster bus untouched").isTrue();
			assertThatIllegalArgumentException().isThrownBy(() -> cluster.addAclPassword("nobody", "New-7c8d"));
		}
	}

	private static RespConnection authenticated(RedisPod pod, String password) throws IOException {
		RespConnection connection = RespConnection.open(pod.address(), Duration.ofSeconds(2));
		try {
			connection.call("AUTH", USER, password);
			return connection;
		}
		catch (IOException ex) {
			connection.close();
			throw ex;
		}
	}

}
