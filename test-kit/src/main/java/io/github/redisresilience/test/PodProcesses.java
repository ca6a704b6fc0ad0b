package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods' {@code redis-server} processes: starts one at the pod's current address with its
 * own data, stops, kills and signals it, and records every PID so that a crashed JVM's processes
 * are found again.
 */
final class PodProcesses {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final RedisServerBinary binary;

	private final Path directory;

	private final RedisConfigFile config;

	private final AdminConnections admin;

	PodProcesses(RedisServerBinary binary, Path directory, RedisConfigFile config, AdminConnections admin) {
		this.binary = binary;
		this.directory = directory;
		this.config = config;
		this.admin = admin;
	}

	void start(RedisPod pod) {
		try {
			Path configFile = this.config.write(pod);
			Path log = pod.dataDirectory().resolve("redis.log");
			Process process = new ProcessBuilder(this.binary.path().toString(), configFile.toString())
				.directory(pod.dataDirectory().toFile())
				.redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(log.toFile()))
				.start();
			KitWorkspace.recordPid(this.directory, process.pid());
			pod.started(process);
			Poll.until(Duration.ofSeconds(15), () -> pod + " to answer PING; log:\n" + tail(log),
					() -> process.isAlive() && this.admin.answersPing(pod) || failIfDead(process, pod, log));
			logger.debug("Started {} (PID {})", pod, process.pid());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + pod, ex);
		}
	}

	private static boolean failIfDead(Process process, RedisPod pod, Path log) {
		if (!process.isAlive()) {
			pod.stopped();
			throw new IllegalStateException(pod + " exited with " + process.exitValue() + "; log:\n" + tail(log));
		}
		return false;
	}

	/** SIGTERM, and SIGKILL after the stop timeout; a frozen pod is resumed first so that it can exit. */
	void stop(RedisPod pod) {
		Process process = pod.process();
		if (process == null) {
			pod.stopped();
			return;
		}
		if (pod.isUp()) {
			awaitNoAofRewrite(pod);
		}
		if (pod.isPaused()) {
			signal(pod, "CONT");
		}
		process.destroy();
		if (!waitForExit(process)) {
			process.destroyForcibly();
			waitForExit(process);
		}
		pod.stopped();
	}

	/**
	 * Redis refuses to stop while it writes its first append-only file (as a replica does right
	 * after a full sync; seen with 6.2): it logs "Writing initial AOF, can't exit" and ignores the
	 * SIGTERM, and the kit would wait out its stop timeout before it kills the pod. The kit lets
	 * the rewrite finish first, which takes milliseconds on a test's data.
	 */
	private void awaitNoAofRewrite(RedisPod pod) {
		try {
			Poll.until(STOP_TIMEOUT.dividedBy(2), () -> pod + " to finish rewriting its append-only file",
					() -> !rewritesAof(pod));
		}
		catch (IllegalStateException ex) {
			logger.warn("Stopping {} while it may still rewrite its append-only file: {}", pod, ex.getMessage());
		}
	}

	/**
	 * Has a running pod rewrite its append-only file from the data it holds now, and waits until it
	 * has: a restart then loads only that.
	 * @param pod a running pod
	 */
	void rewriteAppendOnlyFile(RedisPod pod) {
		// A rewrite already running took its snapshot before the caller's change.
		Poll.until(STOP_TIMEOUT, () -> pod + " to finish rewriting its append-only file", () -> !rewritesAof(pod));
		try {
			this.admin.callOn(pod, "BGREWRITEAOF");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not have " + pod + " rewrite its append-only file", ex);
		}
		Poll.until(STOP_TIMEOUT, () -> pod + " to rewrite its append-only file", () -> !rewritesAof(pod));
	}

	private boolean rewritesAof(RedisPod pod) {
		try (RespConnection connection = this.admin.connect(pod)) {
			String persistence = connection.callForString("INFO", "persistence");
			return persistence.contains("aof_rewrite_in_progress:1") || persistence.contains("aof_rewrite_scheduled:1");
		}
		catch (IOException ex) {
			return false;
		}
	}

	void kill(RedisPod pod) {
		Process process = pod.process();
		if (process != null) {
			// SIGKILL ends a frozen (SIGSTOP) process too.
			process.destroyForcibly();
			waitForExit(process);
		}
		pod.stopped();
	}

	/** Each pod on its own: one failure must not leave the other processes behind. */
	void killAll(List<RedisPod> pods) {
		for (RedisPod pod : pods) {
			try {
				kill(pod);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not stop {}: {}", pod, ex.toString());
				pod.stopped();
			}
		}
	}

	private static boolean waitForExit(Process process) {
		try {
			return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static void signal(RedisPod pod, String signal) {
		long pid = pod.pid();
		if (pid <= 0) {
			throw new IllegalStateException(pod + " has no process to signal");
		}
		try {
			// The shell's own kill: no dependency on procps being installed.
			Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).redirectErrorStream(true).start();
			if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to " + pod, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + pod, ex);
		}
	}

	/** The state letter of a process from {@code /proc/<pid>/stat}, or {@code unknown}. */
	static String processState(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
			// "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
			int end = stat.lastIndexOf(')');
			return (end > 0 && end + 2 < stat.length()) ? stat.substring(end + 2, end + 3) : "unknown";
		}
		catch (IOException | RuntimeException ex) {
			return "unknown (" + ex.getClass().getSimpleName() + ")";
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

}
