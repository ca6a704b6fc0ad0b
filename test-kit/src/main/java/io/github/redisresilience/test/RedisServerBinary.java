package io.github.redisresilience.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis-server} binary the kit runs, and its version.
 * <p>
 * Looked up in this order: the {@value #BINARY_PROPERTY} system property, the
 * {@value #BINARY_ENVIRONMENT_VARIABLE} environment variable, {@code redis-server} on the
 * {@code PATH}, and last the Redis 6.2 binary shipped in {@code com.github.codemonstur:embedded-redis}.
 *
 * @param path the executable
 * @param version its version, read from {@code redis-server --version}
 * @param source where it was found, for the log
 * @param server which server it is, {@code redis} or {@code valkey}, from {@code --version}
 */
public record RedisServerBinary(Path path, RedisVersion version, String source, String server) {

	/**
	 * A Redis binary.
	 * @param path the executable
	 * @param version its version
	 * @param source where it was found
	 */
	public RedisServerBinary(Path path, RedisVersion version, String source) {
		this(path, version, source, "redis");
	}

	/** System property naming the {@code redis-server} executable to use. */
	public static final String BINARY_PROPERTY = "redis.server.binary";

	/** Environment variable naming the {@code redis-server} executable to use. */
	public static final String BINARY_ENVIRONMENT_VARIABLE = "REDIS_SERVER_BINARY";

	private static final Logger logger = LoggerFactory.getLogger(RedisServerBinary.class);

	/**
	 * The binary this JVM uses, located once.
	 * @return the binary
	 * @throws IllegalStateException if no binary can be found or run
	 */
	public static RedisServerBinary get() {
		RedisServerBinary binary = Located.BINARY;
		binary.checkRequired(RequiredCapabilities.required());
		CapabilityReport.serverUsed();
		return binary;
	}

	/**
	 * Fails when the run requires another server or a newer version ({@code -Dredis.require}),
	 * so that a CI machine that fell back to another binary cannot pass for the server it should
	 * test.
	 * @param required the required capabilities
	 */
	void checkRequired(Set<String> required) {
		for (String capability : required) {
			boolean isVersion = capability.chars().allMatch(Character::isDigit);
			boolean isServer = capability.equals("redis") || capability.equals("valkey");
			if ((isVersion && !isAtLeast(Integer.parseInt(capability))) || (isServer && !capability.equals(this.server))) {
				throw new IllegalStateException("This run requires '" + capability + "' (" + RequiredCapabilities.PROPERTY
						+ "/" + RequiredCapabilities.ENVIRONMENT_VARIABLE + ") but the kit's server is " + this.server + " "
						+ this.version + " at " + this.path + " (" + this.source + "). Set -D" + BINARY_PROPERTY + " or "
						+ BINARY_ENVIRONMENT_VARIABLE + " to the server to test.");
			}
		}
	}

	/**
	 * Whether the binary is at least the given major version.
	 * @param major the major version a feature needs
	 * @return {@code true} if the feature is available
	 */
	public boolean isAtLeast(int major) {
		return this.version.isAtLeast(major);
	}

	static RedisServerBinary locate() {
		String configured = System.getProperty(BINARY_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return inspect(Path.of(configured), "system property " + BINARY_PROPERTY);
		}
		configured = System.getenv(BINARY_ENVIRONMENT_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			return inspect(Path.of(configured), "environment variable " + BINARY_ENVIRONMENT_VARIABLE);
		}
		Path onPath = findOnPath("redis-server");
		if (onPath != null) {
			return inspect(onPath, "PATH");
		}
		return inspect(extractBundled(), "bundled embedded-redis");
	}

	private static @Nullable Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(java.io.File.pathSeparator)) {
			if (directory.isBlank()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	static Path extractBundled() {
		String resource = bundledResourceName();
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "redis-cluster-kit", "bin", resource);
		try (InputStream in = RedisServerBinary.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server found: set -D" + BINARY_PROPERTY
						+ ", put redis-server (7 or newer recommended) on the PATH, or add com.github.codemonstur:embedded-redis"
						+ " to the test classpath (" + resource + " was not found on it)");
			}
			Files.createDirectories(target.getParent());
			Path partial = Files.createTempFile(target.getParent(), resource, ".part");
			Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
			partial.toFile().setExecutable(true);
			// Atomic, so two JVMs extracting at once never run a half-written binary.
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract the bundled " + resource, ex);
		}
	}

	private static String bundledResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm64");
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		if (os.contains("mac") || os.contains("darwin")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		throw new IllegalStateException("No bundled redis-server for " + os + "/" + arch + ": set -D" + BINARY_PROPERTY);
	}

	static RedisServerBinary inspect(Path binary, String source) {
		try {
			Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String output;
			try (InputStream in = process.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(binary + " --version did not finish");
			}
			// "Redis server v=7.0.15 ..." or "Valkey server v=8.0.1 ...".
			String server = output.strip().toLowerCase(Locale.ROOT).startsWith("valkey") ? "valkey" : "redis";
			RedisServerBinary located = new RedisServerBinary(binary, RedisVersion.parse(output), source, server);
			logger.info("Using {} {} at {} (from {})", server, located.version(), binary, source);
			if (!located.isAtLeast(7)) {
				logger.info("redis-server {} is older than 7: tests that need Redis 7 features are skipped", located.version());
			}
			return located;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + binary + " (from " + source + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while inspecting " + binary, ex);
		}
	}

	/** Lazy holder: the binary is located once, on first use, by the JVM's class initialisation lock. */
	private static final class Located {

		static final RedisServerBinary BINARY = locate();

	}

}
