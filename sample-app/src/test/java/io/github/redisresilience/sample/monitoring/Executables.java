package io.github.redisresilience.sample.monitoring;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds Prometheus's binaries ({@code prometheus}, {@code promtool}; Debian's {@code prometheus}
 * package ships both, {@code .ci/run} installs it). Where one is missing the test is skipped with the
 * reason, unless {@code -Dpromtool.required=true} (set by {@code .ci/run}): then it fails.
 */
final class Executables {

	private Executables() {
	}

	/**
	 * The path of a program: {@code -D<name>.binary}, else the {@code PATH}.
	 * @param name {@code prometheus} or {@code promtool}
	 * @return the executable
	 */
	static Path require(String name) {
		Path found = find(name);
		String reason = name + " is not installed (Debian: apt-get install prometheus) and -D" + name
				+ ".binary does not name it";
		if (found == null && Boolean.getBoolean("promtool.required")) {
			fail(reason + "; -Dpromtool.required=true makes that a failure");
		}
		assumeTrue(found != null, reason);
		return found;
	}

	private static @Nullable Path find(String name) {
		String configured = System.getProperty(name + ".binary");
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			return Files.isExecutable(path) ? path : null;
		}
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
