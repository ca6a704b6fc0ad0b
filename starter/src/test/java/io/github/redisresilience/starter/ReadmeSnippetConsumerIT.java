package io.github.redisresilience.starter;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new user's first build: a throw-away application (a {@code spring-boot-starter-parent}
 * project, as start.spring.io makes it) whose only dependency is the README's Maven snippet,
 * pasted verbatim, is built by the Maven running this build against the artifacts this reactor
 * just packaged, then run on a local cluster.
 * <p>
 * Nothing is installed into the user's {@code ~/.m2}: the starter, the auto-configuration and
 * the parent POM are laid out in a repository under {@code target/consumer-it} as
 * {@code mvn install} would lay them out, and that repository is the consumer build's local
 * repository, with the user's own chained behind it read-only ({@code maven.repo.local.tail},
 * Maven 3.9) for everything else.
 * <p>
 * The README's Gradle line is not tested: Gradle is not part of this build.
 */
@WithLocalRedisCluster
class ReadmeSnippetConsumerIT {

	private static final String GROUP_PATH = "io/github/redisresilience";

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

	private static final Path WORK = Path.of(property("consumer.work"));

	private static final Path REPOSITORY = WORK.resolve("repository");

	private static final Path PROJECT = WORK.resolve("project");

	static LocalRedisCluster cluster;

	private static String snippet;

	private static List<Path> classpath;

	@BeforeAll
	static void buildConsumer() throws Exception {
		snippet = readmeSnippet(Path.of(property("consumer.readme")));
		FileSystemUtils.deleteRecursively(PROJECT);
		layOutReactorArtifacts();
		writeConsumerProject(snippet);
		Path classpathFile = PROJECT.resolve("target/classpath.txt");
		List<String> command = new ArrayList<>(List.of(Path.of(property("consumer.maven-home"), "bin", "mvn").toString(),
				"-B", "-f", PROJECT.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + REPOSITORY,
				"-Dmaven.repo.local.tail=" + property("consumer.user-repository"), "compile",
				"dependency:build-classpath", "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + classpathFile));
		Result build = run(command, BUILD_TIMEOUT, WORK.resolve("consumer-build.log"));
		assertThat(build.exitCode()).as("the consumer's Maven build; its output:%n%s", build.output()).isZero();
		classpath = new ArrayList<>();
		classpath.add(PROJECT.resolve("target/classes"));
		Arrays.stream(Files.readString(classpathFile).trim().split(File.pathSeparator)).map(Path::of)
			.forEach(classpath::add);
	}

	@Test
	void readmeSnippetIsAPlainDependencyOnThisVersion() {
		assertThat(snippet).contains("<artifactId>redis-cluster-resilience-spring-boot-starter</artifactId>")
			.contains("<version>" + property("consumer.project-version") + "</version>")
			.doesNotContain("<type>");
	}

	@Test
	void snippetResolvesThisBuildsStarterAndAutoConfigurationJars() {
		assertThat(classpath).anySatisfy((entry) -> assertThat(entry)
			.isEqualTo(artifact("redis-cluster-resilience-spring-boot-starter", "jar")));
		assertThat(classpath).anySatisfy((entry) -> assertThat(entry)
			.isEqualTo(artifact("redis-cluster-resilience-spring-boot-autoconfigure", "jar")));
		assertThat(classpath).as("Lettuce and the native transport come with the starter")
			.anySatisfy((entry) -> assertThat(entry.getFileName().toString()).startsWith("lettuce-core-"))
			.anySatisfy((entry) -> assertThat(entry.getFileName().toString())
				.startsWith("netty-transport-native-epoll-").endsWith("-linux-x86_64.jar"));
	}

	@Test
	void applicationWithTheSnippetRunsTheStartersAutoConfigurationOnACluster() throws Exception {
		Result result = runConsumer("with-starter.log", "--spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				"--redis.resilience.dns.resolver=jdk");
		assertThat(result.exitCode()).as("the consumer application; its output:%n%s", result.output()).isZero();
		assertThat(result.output())
			.contains("matched auto-configuration io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration")
			.contains("matched auto-configuration "
					+ "io.github.redisresilience.autoconfigure.topology.RedisResilienceTopologyAutoConfiguration")
			.contains("matched auto-configuration "
					+ "io.github.redisresilience.autoconfigure.retry.RedisResilienceRetryAutoConfiguration")
			.contains("Redis resilience: command-timeout=")
			.contains("redis answered works");
	}

	/** The probe above can fail: with the starter switched off the same application shows none of it. */
	@Test
	void applicationWithTheStarterSwitchedOffShowsNoneOfItsAutoConfiguration() throws Exception {
		// Lettuce's own resolver does not read the kit's hosts file: stock Boot gets the pods' addresses.
		String podAddresses = cluster.pods()
			.stream()
			.map((pod) -> pod.address().getHostString() + ":" + pod.address().getPort())
			.collect(Collectors.joining(","));
		Result result = runConsumer("starter-disabled.log", "--spring.data.redis.cluster.nodes=" + podAddresses,
				"--redis.resilience.enabled=false");
		assertThat(result.exitCode()).as("the consumer application; its output:%n%s", result.output()).isZero();
		assertThat(result.output()).doesNotContain("matched auto-configuration")
			.doesNotContain("Redis resilience: command-timeout=")
			.contains("redis answered works");
	}

	private static Result runConsumer(String log, String... arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// The kit publishes its names in a hosts file, which only the JDK resolver reads.
				"-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file", ""), "-Dsun.net.inetaddr.ttl=0",
				"-cp", String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()),
				"consumer.ConsumerApplication"));
		command.addAll(List.of(arguments));
		return run(command, RUN_TIMEOUT, WORK.resolve(log));
	}

	/** The first {@code xml} block of the README's "Quick start" section. */
	static String readmeSnippet(Path readme) throws IOException {
		String text = Files.readString(readme, StandardCharsets.UTF_8);
		int quickStart = text.indexOf("\n## Quick start");
		assertThat(quickStart).as("the README's Quick start section").isNotNegative();
		Matcher block = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(text);
		assertThat(block.find(quickStart)).as("an xml block in the README's Quick start section").isTrue();
		return block.group(1);
	}

	/** The reactor's artifacts where {@code mvn install} would put them, and nothing else of this project. */
	private static void layOutReactorArtifacts() throws IOException {
		FileSystemUtils.deleteRecursively(REPOSITORY.resolve(GROUP_PATH));
		copy(Path.of(property("consumer.parent-pom")), artifact("redis-cluster-resilience-parent", "pom"));
		copy(Path.of(property("consumer.autoconfigure-pom")),
				artifact("redis-cluster-resilience-spring-boot-autoconfigure", "pom"));
		copy(onTestClasspath("redis-cluster-resilience-spring-boot-autoconfigure"),
				artifact("redis-cluster-resilience-spring-boot-autoconfigure", "jar"));
		copy(Path.of(property("consumer.starter-pom")), artifact("redis-cluster-resilience-spring-boot-starter", "pom"));
		copy(Path.of(property("consumer.starter-jar")), artifact("redis-cluster-resilience-spring-boot-starter", "jar"));
	}

	private static Path artifact(String artifactId, String extension) {
		String version = property("consumer.project-version");
		return REPOSITORY.resolve(GROUP_PATH)
			.resolve(artifactId)
			.resolve(version)
			.resolve(artifactId + "-" + version + "." + extension);
	}

	/** The jar Failsafe put on this test's class path: the reactor's freshly packaged one. */
	private static Path onTestClasspath(String artifactId) {
		String prefix = artifactId + "-" + property("consumer.project-version");
		return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.map(Path::of)
			.filter((entry) -> entry.getFileName().toString().startsWith(prefix)
					&& entry.getFileName().toString().endsWith(".jar"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(artifactId + " is not on the test class path as a jar "
					+ "(run this test in a reactor build that packages it, e.g. ./mvnw verify -pl starter -am)"));
	}

	private static void writeConsumerProject(String snippet) throws IOException {
		String pom = resource("consumer/pom.xml").replace("@spring-boot.version@", property("consumer.spring-boot-version"))
			.replace("@netty.version@", property("consumer.netty-version"))
			.replace("@readme-snippet@", snippet.stripTrailing().indent(8).stripTrailing());
		Files.createDirectories(PROJECT);
		Files.writeString(PROJECT.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
		Path source = PROJECT.resolve("src/main/java/consumer/ConsumerApplication.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, resource("consumer/src/main/java/consumer/ConsumerApplication.java"),
				StandardCharsets.UTF_8);
	}

	private static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to.getParent());
		Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
	}

	private static String resource(String name) throws IOException {
		try (InputStream stream = ReadmeSnippetConsumerIT.class.getClassLoader().getResourceAsStream(name)) {
			assertThat(stream).as(name).isNotNull();
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		assertThat(value).as("system property %s (set by the starter's Failsafe configuration)", name).isNotBlank();
		return value;
	}

	private static Result run(List<String> command, Duration timeout, Path log) throws IOException, InterruptedException {
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).directory(WORK.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
			return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(log, StandardCharsets.UTF_8));
		}
		return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

}
