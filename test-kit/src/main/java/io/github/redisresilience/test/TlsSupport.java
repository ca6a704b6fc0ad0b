package io.github.redisresilience.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Whether this machine can run a TLS cluster: {@code redis-server} built with TLS, and
 * {@code openssl} to make the certificates. Probed once per JVM.
 */
final class TlsSupport {

	private TlsSupport() {
	}

	/**
	 * Why a TLS cluster cannot run here.
	 * @return the reason, or {@code null} when it can
	 */
	static @Nullable String unavailableReason() {
		return Probed.REASON;
	}

	static @Nullable String probe(RedisServerBinary binary) {
		// A TLS-enabled server accepts the directives and then cannot load the files; one built
		// without TLS stops at the first directive. Neither listens on anything.
		String missing = "/nonexistent/redis-cluster-kit-probe.pem";
		String output = run(List.of(binary.path().toString(), "--port", "0", "--tls-replication", "yes",
				"--tls-cert-file", missing, "--tls-key-file", missing, "--tls-ca-cert-file", missing));
		if (output == null || !output.contains("Failed to configure TLS")) {
			return "redis-server " + binary.version() + " at " + binary.path() + " (" + binary.source()
					+ ") was built without TLS (BUILD_TLS=yes). Put a redis-server with TLS (Debian's redis-server "
					+ "package has it) on the PATH or set -D" + RedisServerBinary.BINARY_PROPERTY + ".";
		}
		String openssl = run(List.of("openssl", "version"));
		if (openssl == null || !openssl.startsWith("OpenSSL")) {
			String found = (openssl != null) ? " (found " + openssl.strip() + ")" : "";
			return "OpenSSL's openssl command is not on the PATH" + found
					+ ": the kit needs it to make the test certificates (apt-get install openssl)";
		}
		return null;
	}

	private static @Nullable String run(List<String> command) {
		@Nullable Path output = null;
		try {
			// To a file, not a pipe: a process that unexpectedly keeps running must not block the read.
			output = Files.createTempFile("redis-cluster-kit-probe", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return null;
			}
			return Files.readString(output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			deleteQuietly(output);
		}
	}

	private static void deleteQuietly(@Nullable Path file) {
		if (file == null) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// A temporary file of a few bytes: the OS cleans it up.
		}
	}

	/** Lazy holder: probed once, on first use. */
	private static final class Probed {

		static final @Nullable String REASON = probe(RedisServerBinary.get());

	}

}
