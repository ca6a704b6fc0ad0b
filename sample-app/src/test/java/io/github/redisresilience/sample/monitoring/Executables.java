package io.github.redisresilience.sample.monitoring;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.test.RequiredCapabilities;


/**
 * Finds Prometheus's binaries ({@code prometheus}, {@code promtool}; Debian's {@code prometheus}
 * package ships both, {@code .ci/run} installs it). Where one is missing the test is skipped with the
 * reason, unless the {@code prometheus} capability is required ({@code -Dredis.require=prometheus},
 * set by {@code .ci/run}): then it fails.
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
		RequiredCapabilities.assumeOrFail("prometheus", found != null, () -> reason);
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
