package io.github.redisresilience.autoconfigure.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint;
import io.github.redisresilience.autoconfigure.actuate.RedisTopologyEndpoint.NodeDescriptor;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ACL password of the application's user is rotated on every node while the application
 * runs, the way operators rotate a Kubernetes secret: the new password is added next to the old
 * one, the mounted secret file is replaced, clients are made to reconnect, the old password is
 * removed and clients reconnect again. The application reads its password through a Lettuce
 * {@link RedisCredentialsProvider} that re-reads the file on every connect (plugged in with a
 * {@link LettuceClientConfigurationBuilderCustomizer}, as the README shows): no restart, no failed
 * operation, no acknowledged write lost, and no password in the log. Its negative control, a
 * password from {@code spring.data.redis.password}, fails once the old password is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class PasswordRotationIT extends ChaosTestSupport {

	private static final String USER = "orders";

	private static final String DEFAULT_USER_PASSWORD = "Adm1nPass-31c7";

	private static LocalRedisCluster cluster;

	/** The user's only valid password between tests. */
	private static String current = "Rotat3-0-9b2e";

	private static int rotations;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startCluster() {
		cluster = LocalRedisCluster.builder().password(DEFAULT_USER_PASSWORD).aclUser(USER, current).start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void passwordReadFromAMountedSecretSurvivesARotationWithoutRestart(CapturedOutput output) throws Exception {
		Path passwordFile = this.secrets.resolve("password");
		mount(passwordFile, current);
		String old = current;
		String rotated = nextPassword();
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--spring.data.redis.username=" + USER,
				"--spring.main.sources=" + SecretFileCredentials.class.getName(),
				"--app.redis.password-file=" + passwordFile, "--logging.level.io.github.redisresilience=DEBUG",
				"--management.endpoints.jmx.exposure.include=redistopology",
				"--management.endpoints.web.exposure.include=redistopology");
		Object clientBefore = this.context.getBean(RedisConnectionFactory.class);

		runScenario("password rotation", blocking(), (workload) -> rotate(workload, old, rotated, () -> mount(passwordFile, rotated)));

		assertThat(this.context.isActive()).isTrue();
		assertThat(this.context.getBean(RedisConnectionFactory.class))
			.as("no restart").isSameAs(clientBefore);
		RedisTopologyEndpoint endpoint = this.context.getBean(RedisTopologyEndpoint.class);
		await("the starter's probes authenticate with the new password").atMost(RECOVERY_LIMIT)
			.untilAsserted(() -> assertThat(endpoint.topology().nodes()).hasSize(6).allMatch(NodeDescriptor::reachable));
		assertNoSecretLogged(output, old, rotated);
	}

	@Test
	void negativeControlAPasswordFromPropertiesFailsOnceTheOldOneIsRemoved(CapturedOutput output) throws Exception {
		String old = current;
		String rotated = nextPassword();
		startApplication(ClientMode.STARTER, cluster.seedNodes(), "--spring.data.redis.username=" + USER,
				"--spring.data.redis.password=" + old);
		Workload workload = workload(blocking(), 4, Duration.ofMillis(20));
		try {
			awaitFullySuccessfulSecondAfter(workload, Instant.now().minusSeconds(2));
			rotate(workload, old, rotated, () -> {
			});
			await("operations fail with the removed password").atMost(RECOVERY_LIMIT).until(() -> workload.failures() > 0);
		}
		finally {
			workload.close();
		}
		assertThat(workload.sampleErrors(5)).anyMatch((error) -> error.contains("WRONGPASS") || error.contains("NOAUTH")
				|| error.contains("Timeout") || error.contains("Connection"));
		assertNoSecretLogged(output, old, rotated);
	}

	/**
	 * Rotates the user's password on every node as operators do, and reports when the old one was
	 * gone and every client had to authenticate with the new one.
	 */
	private ChaosReport rotate(Workload workload, String old, String rotated, Runnable updateSecret) {
		Instant started = Instant.now();
		cluster.addAclPassword(USER, rotated);
		current = rotated;
		updateSecret.run();
		Instant firstClose = Instant.now();
		assertThat(cluster.closeClientConnections()).as("connections closed while both passwords are valid").isPositive();
		// The clients reconnect and serve a full second before the old password goes.
		awaitFullySuccessfulSecondAfter(workload, firstClose);
		cluster.removeAclPassword(USER, old);
		assertThat(cluster.closeClientConnections()).as("connections closed once only the new password is valid").isPositive();
		return new ChaosReport("password rotation", started, Instant.now(), List.of());
	}

	private static String nextPassword() {
		rotations++;
		return "Rotat3-" + rotations + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

	/** Replaces the file in one move, as the kubelet swaps a mounted secret's files. */
	private static void mount(Path file, String password) {
		try {
			Path next = Files.createTempFile(file.getParent(), "password", ".next");
			Files.writeString(next, password + "\n", StandardCharsets.UTF_8);
			Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void assertNoSecretLogged(CapturedOutput output, String... secrets) {
		assertThat(output.getAll()).as("log").isNotEmpty();
		for (String secret : secrets) {
			assertThat(output.getAll()).as("log").doesNotContain(secret);
		}
		assertThat(output.getAll()).as("log").doesNotContain(DEFAULT_USER_PASSWORD);
	}

	/**
	 * What the application writes: Boot's client reads the password from the mounted secret file
	 * on every connect, the user name from {@code spring.data.redis.username}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SecretFileCredentials {

		@Bean
		LettuceClientConfigurationBuilderCustomizer redisPasswordFromSecretFile(
				@Value("${app.redis.password-file}") Path passwordFile) {
			return (builder) -> builder.redisCredentialsProviderFactory(new RedisCredentialsProviderFactory() {

				@Override
				public RedisCredentialsProvider createCredentialsProvider(RedisConfiguration configuration) {
					String username = (configuration instanceof RedisConfiguration.WithAuthentication authentication)
							? authentication.getUsername() : null;
					return RedisCredentialsProvider.from(() -> RedisCredentials.just(username, readPassword(passwordFile)));
				}

			});
		}

		private static String readPassword(Path file) {
			try {
				return Files.readString(file, StandardCharsets.UTF_8).strip();
			}
			catch (IOException ex) {
				// The exception names the file, never its content.
				throw new UncheckedIOException(ex);
			}
		}

	}

}
