package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Counts the TCP connections this JVM has established to a port, from Linux's {@code /proc}: the
 * sockets among the process's open files, matched with the kernel's connection tables.
 * <p>
 * Lettuce's connection events would be the client's own count, but its event bus hands them to
 * subscribers through a bounded queue that drops on overflow ({@code onBackpressureDrop}, then
 * {@code publishOn}): a burst of reconnects loses some, and counted up and down over an hour the
 * sum drifted below zero.
 */
final class RedisConnectionsCount {

	private static final String ESTABLISHED = "01";

	private RedisConnectionsCount() {
	}

	/**
	 * @param port the remote port
	 * @return the established connections to it, -1 where {@code /proc} cannot be read
	 */
	static long established(int port) {
		try {
			Set<String> sockets = socketInodes();
			String remotePort = String.format(Locale.ROOT, ":%04X", port);
			long count = 0;
			for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
				Path path = Path.of(table);
				if (!Files.exists(path)) {
					continue;
				}
				for (String line : Files.readAllLines(path)) {
					String[] fields = line.strip().split("\\s+");
					// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
					if (fields.length > 9 && fields[2].endsWith(remotePort) && fields[3].equals(ESTABLISHED)
							&& sockets.contains(fields[9])) {
						count++;
					}
				}
			}
			return count;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static Set<String> socketInodes() throws IOException {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
			for (Path fd : fds) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring("socket:[".length(), target.length() - 1));
					}
				}
				catch (IOException ex) {
					// Closed meanwhile.
				}
			}
		}
		return inodes;
	}

}
