package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The hosts file the test JVM resolves names from, so that names follow pods the way Kubernetes DNS does.
 * <p>
 * The JDK reads the file named by {@code -Djdk.net.hosts.file} on every lookup when
 * {@code -Dsun.net.inetaddr.ttl=0} disables its cache, so rewriting the file is all it takes to
 * move a name. The file is one per JVM (the JDK reads its name once), hence one instance per JVM
 * holding the entries of every cluster in it. Writes go through a temporary file and an atomic
 * move, so a lookup never reads half a file. Without the property no name is published and
 * {@link #isEnabled()} says so.
 */
final class HostsFile {

	static final String PROPERTY = "jdk.net.hosts.file";

	private static final HostsFile INSTANCE = new HostsFile(System.getProperty(PROPERTY));

	private final @Nullable Path path;

	private final Map<String, Map<String, List<String>>> entriesByOwner = new LinkedHashMap<>();

	private HostsFile(@Nullable String path) {
		this.path = (path != null && !path.isBlank()) ? Path.of(path) : null;
	}

	static HostsFile get() {
		return INSTANCE;
	}

	boolean isEnabled() {
		return this.path != null;
	}

	@Nullable Path path() {
		return this.path;
	}

	/**
	 * Writes the file if it does not exist yet: the JDK fails every lookup, {@code localhost}
	 * included, while the file named by the property is missing.
	 */
	synchronized void ensureExists() {
		if (this.path != null && !Files.exists(this.path)) {
			write();
		}
	}

	/**
	 * Replaces the names an owner publishes.
	 * @param owner the cluster publishing them
	 * @param names each name with its addresses, in the order lookups return them
	 */
	synchronized void publish(String owner, Map<String, List<String>> names) {
		this.entriesByOwner.put(owner, new LinkedHashMap<>(names));
		write();
	}

	synchronized void remove(String owner) {
		if (this.entriesByOwner.remove(owner) != null) {
			write();
		}
	}

	private void write() {
		if (this.path == null) {
			return;
		}
		StringBuilder content = new StringBuilder();
		content.append("# Written by the redis-cluster-resilience test kit\n");
		content.append("127.0.0.1 localhost\n");
		content.append("::1 localhost ip6-localhost\n");
		String hostname = localHostname();
		if (hostname != null) {
			content.append("127.0.1.1 ").append(hostname).append('\n');
		}
		this.entriesByOwner.values()
			.forEach((names) -> names.forEach((name, addresses) -> addresses
				.forEach((address) -> content.append(address).append(' ').append(name).append('\n'))));
		try {
			Path directory = this.path.toAbsolutePath().getParent();
			Files.createDirectories(directory);
			Path partial = Files.createTempFile(directory, this.path.getFileName().toString(), ".part");
			Files.writeString(partial, content, StandardCharsets.UTF_8);
			Files.move(partial, this.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the hosts file " + this.path, ex);
		}
	}

	/**
	 * The machine's own name, which {@code InetAddress.getLocalHost()} looks up in this file too;
	 * read from the kernel because asking the JDK would consult this very file.
	 */
	private static @Nullable String localHostname() {
		try {
			Path kernelHostname = Path.of("/proc/sys/kernel/hostname");
			if (Files.isReadable(kernelHostname)) {
				String name = Files.readString(kernelHostname).strip();
				return name.isEmpty() ? null : name;
			}
		}
		catch (IOException ex) {
			// Fall through to the environment.
		}
		String name = System.getenv("HOSTNAME");
		return (name != null && !name.isBlank()) ? name.strip() : null;
	}

}
