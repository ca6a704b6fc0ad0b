package io.github.redisresilience.test;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Counts, per capability, how many tests ran with it and how many were skipped without it, and
 * tells the build at the end of a test run: which server ran (name, version, path) and which
 * capabilities ran or were missing, one line per module (in the build log and
 * {@code target/test-capabilities.txt}).
 */
final class CapabilityReport {

	private static final Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();

	private static final Map<String, AtomicInteger> missing = new ConcurrentHashMap<>();

	private static volatile boolean serverUsed;

	private CapabilityReport() {
	}

	static void record(String capability, boolean available) {
		(available ? ran : missing).computeIfAbsent(capability, (name) -> new AtomicInteger()).incrementAndGet();
	}

	static void serverUsed() {
		serverUsed = true;
	}

	static @Nullable String line(String module) {
		if (!serverUsed && ran.isEmpty() && missing.isEmpty()) {
			return null;
		}
		StringBuilder line = new StringBuilder("[capabilities] ").append(module).append(": ");
		if (serverUsed) {
			RedisServerBinary binary = RedisServerBinary.get();
			line.append(binary.server()).append(' ').append(binary.version()).append(" at ").append(binary.path())
				.append(" (").append(binary.source()).append(')');
		}
		else {
			line.append("no server started");
		}
		line.append("; ran with: ").append(counts(ran)).append("; skipped without: ").append(counts(missing))
			.append("; required: ").append(RequiredCapabilities.required().isEmpty() ? "nothing"
					: String.join(",", RequiredCapabilities.required()));
		return line.toString();
	}

	private static String counts(Map<String, AtomicInteger> counts) {
		if (counts.isEmpty()) {
			return "none";
		}
		return new TreeMap<>(counts).entrySet().stream().map((entry) -> entry.getKey() + " (" + entry.getValue() + ")")
			.collect(Collectors.joining(", "));
	}

	/**
	 * Prints the line on the JVM's own standard error, which the build tool shows even when it
	 * redirects the tests' output to files, and appends it to {@code target/test-capabilities.txt}.
	 */
	static void publish() {
		String module = Path.of("").toAbsolutePath().getFileName().toString();
		String line = line(module);
		if (line == null) {
			return;
		}
		@SuppressWarnings("resource") // the process's stderr: closing it would silence the JVM
		PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
		stderr.println(line);
		try {
			Path target = Path.of("target");
			if (Files.isDirectory(target)) {
				Files.writeString(target.resolve("test-capabilities.txt"), line + System.lineSeparator(),
						StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
		}
		catch (IOException ex) {
			stderr.println("[capabilities] could not write target/test-capabilities.txt: " + ex);
		}
	}

}
