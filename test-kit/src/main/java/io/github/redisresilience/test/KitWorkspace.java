package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories a cluster keeps its pods' data in, and the record of the PIDs it started.
 * <p>
 * A JVM killed before its shutdown hooks run leaves its redis-server processes behind. Each
 * cluster directory is named after the owning JVM's PID and lists the PIDs it started, so the next
 * cluster started on the machine stops those processes (by PID, and only if they are still
 * redis-server) once their owner is gone.
 */
final class KitWorkspace {

	private static final Logger logger = LoggerFactory.getLogger(KitWorkspace.class);

	private static final String PIDS_FILE = "pids";

	private KitWorkspace() {
	}

	static Path defaultRoot() {
		return Path.of(System.getProperty("java.io.tmpdir"), "redis-cluster-kit", "clusters");
	}

	static Path create(Path root, String clusterName) {
		try {
			Files.createDirectories(root);
			reapOrphans(root);
			Path directory = root.resolve(ProcessHandle.current().pid() + "-" + clusterName);
			Files.createDirectories(directory);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the cluster directory under " + root, ex);
		}
	}

	static void recordPid(Path clusterDirectory, long pid) {
		try {
			Files.writeString(clusterDirectory.resolve(PIDS_FILE), pid + "\n", StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not record PID " + pid, ex);
		}
	}

	static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}: {}", directory, ex.toString());
		}
	}

	private static void reapOrphans(Path root) throws IOException {
		List<Path> clusterDirectories;
		try (Stream<Path> children = Files.list(root)) {
			clusterDirectories = children.filter(Files::isDirectory).toList();
		}
		for (Path directory : clusterDirectories) {
			long owner = ownerPid(directory);
			if (owner > 0 && !isAlive(owner)) {
				stopRecordedProcesses(directory);
				delete(directory);
			}
		}
	}

	private static long ownerPid(Path directory) {
		String name = directory.getFileName().toString();
		int dash = name.indexOf('-');
		try {
			return (dash > 0) ? Long.parseLong(name.substring(0, dash)) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	private static void stopRecordedProcesses(Path directory) throws IOException {
		Path pids = directory.resolve(PIDS_FILE);
		if (!Files.exists(pids)) {
			return;
		}
		for (String line : Files.readAllLines(pids)) {
			if (line.isBlank()) {
				continue;
			}
			ProcessHandle.of(Long.parseLong(line.strip()))
				.filter(KitWorkspace::isRedisServer)
				.ifPresent((orphan) -> {
					logger.info("Stopping redis-server PID {} left behind by a test JVM that is gone", orphan.pid());
					orphan.destroyForcibly();
				});
		}
	}

	private static boolean isRedisServer(ProcessHandle handle) {
		return handle.info().command().map((command) -> command.contains("redis-server")).orElse(false);
	}

}
