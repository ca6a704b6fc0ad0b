package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;

import io.github.redisresilience.test.LocalRedisCluster;

/**
 * The soak application's credentials, as Kubernetes hands them to a pod: an ACL user whose
 * password lives in a mounted secret file, read again on every connect, and replaced by a
 * rotation while the application runs. The default user keeps one administration password, for
 * the kit, the sampler and the ledger check.
 */
final class SoakCredentials {

	/** The application's ACL user. */
	static final String USER = "soak";

	/** The default user's password: administration only, never the application's. */
	static final String ADMIN_PASSWORD = "Soak-Adm1n-5e1f";

	private final Path secretFile;

	private String current;

	private int rotations;

	/**
	 * Mounts the first password.
	 * @param directory where the secret file is written
	 */
	SoakCredentials(Path directory) {
		this.secretFile = directory.resolve("password");
		this.current = nextPassword();
		mount(this.current);
	}

	/**
	 * Protects a cluster: the administration password, and the application's user with the
	 * mounted password.
	 * @param builder the cluster's builder
	 * @return the builder
	 */
	LocalRedisCluster.Builder protect(LocalRedisCluster.Builder builder) {
		return builder.password(ADMIN_PASSWORD).aclUser(USER, this.current);
	}

	Path secretFile() {
		return this.secretFile;
	}

	/**
	 * Rotates the user's password on every node as operators rotate a Kubernetes secret: the new
	 * password added beside the old one, the secret file replaced, clients made to reconnect and
	 * given a fully successful second, the old password removed, clients made to reconnect again.
	 * @param cluster the cluster
	 * @param recovery waits, bounded, until the application has recovered
	 * @return when the last connections were closed: from then on, every client authenticates
	 * with the new password only
	 */
	Instant rotate(LocalRedisCluster cluster, SoakDisruption.Recovery recovery) {
		String old = this.current;
		String rotated = nextPassword();
		cluster.addAclPassword(USER, rotated);
		this.current = rotated;
		mount(rotated);
		recovery.await(closeEveryClientConnection(cluster));
		cluster.removeAclPassword(USER, old);
		return closeEveryClientConnection(cluster);
	}

	/**
	 * Credentials read from the secret file on every connect, as an application reads a mounted
	 * secret.
	 * @param secretFile the file
	 * @return the provider
	 */
	static RedisCredentialsProvider fromSecretFile(Path secretFile) {
		return RedisCredentialsProvider.from(() -> RedisCredentials.just(USER, read(secretFile)));
	}

	private static Instant closeEveryClientConnection(LocalRedisCluster cluster) {
		Instant closing = Instant.now();
		cluster.closeClientConnections();
		return closing;
	}

	private String nextPassword() {
		this.rotations++;
		return "Soak-" + this.rotations + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
	}

	/** Replaces the file in one move, as the kubelet swaps a mounted secret's files. */
	private void mount(String password) {
		try {
			Path next = Files.createTempFile(this.secretFile.getParent(), "password", ".next");
			Files.writeString(next, password + "\n", StandardCharsets.UTF_8);
			Files.move(next, this.secretFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path secretFile) {
		try {
			return Files.readString(secretFile, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			// The exception names the file, never its content.
			throw new UncheckedIOException(ex);
		}
	}

}
