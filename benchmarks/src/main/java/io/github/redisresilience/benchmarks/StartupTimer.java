package io.github.redisresilience.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times cold starts: each in a fresh JVM ({@link StartupProbe}) on this JVM's class path and name
 * resolution settings, so class loading and JIT warm-up count as they do for an application.
 */
final class StartupTimer {

	private static final Pattern LINE = Pattern.compile(Pattern.quote(StartupProbe.PREFIX)
			+ "context=([0-9.]+) first-operation=([0-9.]+) jvm-to-first-operation=([0-9]+)");

	private static final long LIMIT_SECONDS = 120;

	/** Passed on to the probe's JVM: without them the kit's names do not resolve there. */
	static final List<String> INHERITED = List.of("jdk.net.hosts.file", "sun.net.inetaddr.ttl",
			"sun.net.inetaddr.negative.ttl", "org.springframework.boot.logging.LoggingSystem", "file.encoding");

	private final String seeds;

	private final Map<String, String> properties;

	private final Path log;

	StartupTimer(String seeds, Map<String, String> properties, Path log) {
		this.seeds = seeds;
		this.properties = properties;
		this.log = log;
	}

	/** Starts a client of the kind in a JVM of its own and returns what the probe measured. */
	Sample time(ClientKind kind) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		for (String property : INHERITED) {
			String value = System.getProperty(property);
			if (value != null) {
				command.add("-D" + property + "=" + value);
			}
		}
		this.properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
		command.add("-Dlogback.configurationFile=logback-startup-probe.xml");
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupProbe.class.getName(),
				kind.label(), this.seeds));
		Files.createDirectories(this.log.toAbsolutePath().getParent());
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		long began = System.nanoTime();
		Process process = builder.start();
		try {
			String output;
			try (InputStream in = process.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
				throw new IllegalStateException(kind + " probe still running after " + LIMIT_SECONDS + " s");
			}
			double wall = (System.nanoTime() - began) / 1e6;
			Matcher matcher = LINE.matcher(output);
			if (process.exitValue() != 0 || !matcher.find()) {
				throw new IllegalStateException(kind + " probe failed (exit " + process.exitValue() + "), see "
						+ this.log.toAbsolutePath() + "; its output: " + output.strip());
			}
			return new Sample(Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)),
					Double.parseDouble(matcher.group(3)), wall);
		}
		finally {
			process.destroyForcibly();
		}
	}


	/**
	 * One cold start, in milliseconds.
	 * @param context {@code SpringApplication.run} (Redisson: {@code Redisson.create})
	 * @param firstOperation the first write and read after it
	 * @param jvmToFirstOperation from the JVM's start to the first read's reply
	 * @param wall the whole process, as the parent saw it, shutdown included
	 */
	record Sample(double context, double firstOperation, double jvmToFirstOperation, double wall) {

	}

}
