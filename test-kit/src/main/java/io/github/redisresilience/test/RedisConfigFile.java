package io.github.redisresilience.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Writes a pod's {@code redis.conf} from the cluster's settings before each start, so a pod that
 * moved binds and announces its new address.
 */
final class RedisConfigFile {

	private final ClusterSettings settings;

	private final ClusterTls tls;

	private final Supplier<Collection<String>> aclPasswords;

	RedisConfigFile(ClusterSettings settings, ClusterTls tls, Supplier<Collection<String>> aclPasswords) {
		this.settings = settings;
		this.tls = tls;
		this.aclPasswords = aclPasswords;
	}

	Path write(RedisPod pod) throws IOException {
		String ip = pod.address().getHostString();
		int port = this.settings.port();
		StringBuilder config = new StringBuilder();
		config.append("bind ").append(ip).append('\n');
		KitTls currentTls = this.tls.current();
		if (currentTls != null) {
			config.append(currentTls.redisConfig(port, this.settings.requireClientCertificates()));
		}
		else {
			config.append("port ").append(port).append('\n');
		}
		config.append("protected-mode no\n");
		config.append("daemonize no\n");
		config.append("dir ").append(pod.dataDirectory().toAbsolutePath()).append('\n');
		config.append("cluster-enabled yes\n");
		config.append("cluster-config-file nodes.conf\n");
		config.append("cluster-node-timeout ").append(this.settings.nodeTimeout().toMillis()).append('\n');
		config.append("cluster-announce-ip ").append(ip).append('\n');
		// cluster-replica-validity-factor keeps its default (10): a replica that restarted and never
		// reached its master must not take over, or moving every pod at once would promote replicas
		// that miss the master's last acknowledged writes.
		// A restarted replica needs a full sync; Redis 7 would wait 5 s for other replicas to share it.
		config.append("repl-diskless-sync-delay 0\n");
		config.append("appendonly yes\n");
		config.append("appendfsync everysec\n");
		config.append("save \"\"\n");
		if (this.settings.binary().isAtLeast(7)) {
			// Without it the cluster bus connects from 127.0.0.1 and peers see the wrong source address.
			config.append("bind-source-addr ").append(ip).append('\n');
			if (this.settings.announceHostnames()) {
				config.append("cluster-announce-hostname ").append(pod.hostname()).append('\n');
				config.append("cluster-preferred-endpoint-type ")
					.append(this.settings.preferredEndpointType())
					.append('\n');
			}
		}
		String password = this.settings.password();
		if (password != null) {
			// The default user's password; replicas use it to sync from their master.
			config.append("requirepass ").append(password).append('\n');
			config.append("masterauth ").append(password).append('\n');
		}
		if (this.settings.aclUsername() != null) {
			// Redis 6.2 and 7 both accept channel patterns (&*); Redis 7 denies channels by default.
			config.append("user ").append(this.settings.aclUsername()).append(" on");
			this.aclPasswords.get().forEach((aclPassword) -> config.append(" >").append(aclPassword));
			config.append(" ~* &* +@all\n");
		}
		this.settings.extraConfig()
			.forEach((directive, value) -> config.append(directive).append(' ').append(value).append('\n'));
		Path file = pod.dataDirectory().resolve("redis.conf");
		Files.writeString(file, config, StandardCharsets.UTF_8);
		return file;
	}

}
