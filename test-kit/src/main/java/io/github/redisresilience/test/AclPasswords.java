package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The ACL user's passwords, rotated on every running node: a new one is added before the old one
 * is removed, and pods started later are given the passwords valid then.
 */
final class AclPasswords {

	private final @Nullable String username;

	private final Pods pods;

	private final AdminConnections admin;

	/** The ACL user's passwords now; pods started later get them all. */
	private final Set<String> passwords = new LinkedHashSet<>();

	AclPasswords(@Nullable String username, @Nullable String password, Pods pods, AdminConnections admin) {
		this.username = username;
		this.pods = pods;
		this.admin = admin;
		if (password != null) {
			this.passwords.add(password);
		}
	}

	Collection<String> current() {
		return this.passwords;
	}

	void add(String username, String password) {
		requireUser(username);
		String token = LocalRedisCluster.Builder.requireConfigToken("password", password);
		callOnEveryPod("ACL", "SETUSER", username, ">" + token);
		this.passwords.add(token);
	}

	void remove(String username, String password) {
		requireUser(username);
		callOnEveryPod("ACL", "SETUSER", username, "<" + password);
		this.passwords.remove(password);
	}

	private void requireUser(String username) {
		if (!username.equals(this.username)) {
			throw new IllegalArgumentException("The cluster has no ACL user '" + username + "' (see Builder#aclUser)");
		}
	}

	/** Never logs the command: it may hold a secret. */
	private void callOnEveryPod(String... command) {
		for (RedisPod pod : this.pods.up()) {
			try {
				this.admin.callOn(pod, command);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not run " + command[0] + " " + command[1] + " on " + pod, ex);
			}
		}
	}

}
