package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Whether this machine can run a TLS cluster: {@code openssl} to make the certificates, and a
 * server that answers over TLS. Probed once per JVM, by asking a real server.
 */
final class TlsSupport {

	/** How long the probe server gets to answer over TLS: generous, the machine may be loaded. */
	private static final int PROBE_SECONDS = 20;

	private TlsSupport() {
	}

	/**
	 * Why a TLS cluster cannot run here.
	 * @return the reason, or {@code null} when it can
	 */
	static @Nullable String unavailableReason() {
		return Probed.REASON;
	}

	/**
	 * Asks the server itself: starts the binary with a TLS port only (certificates made with
	 * {@code openssl}) and sends {@code PING} over a verified TLS connection. Anything short of a
	 * {@code PONG} is a reason, the server's own words included; a probe that times out says so
	 * rather than passing for "no TLS".
	 * @param binary the server to probe
	 * @return why TLS cannot run, or {@code null} when the server answered over TLS
	 */
	static @Nullable String probe(RedisServerBinary binary) {
		String openssl = run(List.of("openssl", "version"));
		if (openssl == null || !openssl.startsWith("OpenSSL")) {
			String found = (openssl != null) ? " (found " + openssl.strip() + ")" : "";
			return "OpenSSL's openssl command is not on the PATH" + found
					+ ": the kit needs it to make the test certificates (apt-get install openssl)";
		}
		Path directory = null;
		Process server = null;
		try {
			directory = Files.createTempDirectory("redis-cluster-kit-tls-probe");
			KitTls tls = KitTls.generate(directory, List.of("localhost"));
			int port = freePort();
			Path log = directory.resolve("server.log");
			server = new ProcessBuilder(binary.path().toString(), "--bind", "127.0.0.1", "--port", "0", "--tls-port",
					Integer.toString(port), "--tls-cert-file", tls.serverCertificate().toString(), "--tls-key-file",
					tls.serverKey().toString(), "--tls-ca-cert-file", tls.caCertificate().toString(), "--tls-auth-clients",
					"no", "--save", "", "--appendonly", "no", "--dir", directory.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROBE_SECONDS);
			while (System.nanoTime() < deadline) {
				if (!server.isAlive()) {
					return withoutTls(binary, tail(log));
				}
				try (RespConnection connection = RespConnection.openTls(new InetSocketAddress("127.0.0.1", port),
						"localhost", Duration.ofSeconds(2), tls.socketFactory())) {
					String pong = connection.callForString("PING");
					return "PONG".equals(pong) ? null
							: binary.server() + " at " + binary.path() + " answered PING over TLS with '" + pong + "'";
				}
				catch (IOException ex) {
					// Not listening yet: try again until the deadline.
					Thread.sleep(50);
				}
			}
			return "The TLS probe: " + binary.server() + " " + binary.version() + " at " + binary.path()
					+ " did not answer PING over TLS within " + PROBE_SECONDS + " s (machine overloaded?); its log: "
					+ tail(log);
		}
		catch (IOException | RuntimeException ex) {
			return "The TLS probe of " + binary.path() + " could not run: " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "The TLS probe was interrupted";
		}
		finally {
			if (server != null) {
				server.destroyForcibly();
			}
			deleteRecursively(directory);
		}
	}

	private static String withoutTls(RedisServerBinary binary, String log) {
		return binary.server() + " " + binary.version() + " at " + binary.path() + " (" + binary.source()
				+ ") would not start with a TLS port, most likely built without TLS (BUILD_TLS=yes); it said: " + log
				+ ". Put a server with TLS (Debian's redis-server and valkey-server packages have it) on the PATH or set -D"
				+ RedisServerBinary.BINARY_PROPERTY + ".";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String tail(Path log) {
		try {
			String text = Files.readString(log, StandardCharsets.UTF_8).strip();
			return text.length() > 400 ? "..." + text.substring(text.length() - 400) : text;
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void deleteRecursively(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory of a few files: the OS cleans it up.
		}
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
