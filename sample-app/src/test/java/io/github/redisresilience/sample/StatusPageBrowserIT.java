package io.github.redisresilience.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RequiredCapabilities;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's view of the sample: headless Chromium, driven by Playwright, opens the status page,
 * clicks "Move all pods" and checks that the page shows every node at its new address, an
 * address-change entry for each, and no failed operation (the script is
 * {@code src/test/browser/status-page.js}).
 * <p>
 * Needs Debian's {@code chromium} ({@code -Dsample.browser.chromium} names another binary) and
 * Node.js; {@code playwright-core} is installed into {@code target/browser} with npm when missing.
 * Without Chromium or Node.js the test is skipped, with the reason, or fails when
 * {@code -Dredis.require} lists {@code browser}.
 */
class StatusPageBrowserIT {

	private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

	private static final Path BROWSER_SOURCES = MODULE.resolve("src/test/browser");

	private static final Path BROWSER_WORK = MODULE.resolve("target/browser");

	private static final Path SCREENSHOT = MODULE.resolve("target/status-page-after-move-all-pods.png");

	private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

	/** Page load, the move (a few seconds), the recovery wait (up to 30 s) and the checks. */
	private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(3);

	@Test
	void movingAllPodsShowsNewAddressesAndFewFailures() throws Exception {
		Path chromium = Path.of(System.getProperty("sample.browser.chromium", "/usr/bin/chromium"));
		RequiredCapabilities.assumeOrFail("browser", Files.isExecutable(chromium), () -> "Chromium not found at " + chromium
				+ ": install Debian's chromium package (.ci/run does) or set -Dsample.browser.chromium");
		Path node = onPath("node");
		RequiredCapabilities.assumeOrFail("browser", node != null, () -> "Node.js (node) is not on the PATH: the browser test needs it to run Playwright");
		Path modules = installPlaywright();
		try (LocalRedisCluster cluster = LocalRedisCluster.builder().start();
				ConfigurableApplicationContext application = LocalClusterMode.start(cluster, "--server.port=0")) {
			String url = LocalClusterMode.statusPage(application);
			Files.deleteIfExists(SCREENSHOT);
			Result result = run(List.of(node.toString(), BROWSER_SOURCES.resolve("status-page.js").toString()),
					Map.of("SAMPLE_URL", url, "CHROMIUM", chromium.toString(), "SCREENSHOT", SCREENSHOT.toString(),
							"NODE_PATH", modules.toString()),
					BROWSER_TIMEOUT, BROWSER_WORK.resolve("status-page.log"));
			System.out.println(result.output());
			assertThat(result.exitCode()).as("the browser script's exit code; its output:%n%s", result.output()).isZero();
			assertThat(SCREENSHOT).exists();
		}
	}

	/** Installs {@code playwright-core} as pinned in {@code src/test/browser/package.json}, unless it is there. */
	private static Path installPlaywright() throws IOException, InterruptedException {
		Path modules = BROWSER_WORK.resolve("node_modules");
		Path packageJson = BROWSER_WORK.resolve("package.json");
		Files.createDirectories(BROWSER_WORK);
		boolean current = Files.exists(modules.resolve("playwright-core/package.json")) && Files.exists(packageJson)
				&& Files.mismatch(packageJson, BROWSER_SOURCES.resolve("package.json")) == -1;
		if (current) {
			return modules;
		}
		Path npm = onPath("npm");
		RequiredCapabilities.assumeOrFail("browser", npm != null, () -> "playwright-core is not installed in " + modules + " and npm is not on the PATH");
		Files.copy(BROWSER_SOURCES.resolve("package.json"), packageJson, StandardCopyOption.REPLACE_EXISTING);
		Result install = run(List.of(npm.toString(), "install", "--prefix", BROWSER_WORK.toString(), "--no-audit",
				"--no-fund", "--no-package-lock", "--loglevel=error"), Map.of(), NPM_TIMEOUT,
				BROWSER_WORK.resolve("npm-install.log"));
		assertThat(install.exitCode()).as("npm install of playwright-core; its output:%n%s", install.output()).isZero();
		return modules;
	}

	private static Result run(List<String> command, Map<String, String> environment, Duration timeout, Path log)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_WORK.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(environment);
		Process process = builder.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
			return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(log, StandardCharsets.UTF_8));
		}
		return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private static @Nullable Path onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, program);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private record Result(int exitCode, String output) {
	}

}
