package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

import io.github.redisresilience.autoconfigure.topology.TopologyRefreshedEvent;

/**
 * The application the soak runs: Boot's auto-configuration with the starter, a meter registry
 * for the starter's metrics (as Actuator would provide), its password read from a mounted secret
 * and, for the negative control only, a leak.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SoakApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * Lettuce's default command latency collector (on whenever LatencyUtils is on the class path,
	 * as it is with Micrometer) keeps a histogram of about 100 KiB per remote address and command
	 * type until it publishes them, every 10 minutes: each move of the pods adds several MiB to
	 * the heap, dropped at the next publication. A sawtooth that would hide a leak, or fake one,
	 * in the soak's heap trend; Boot 4 reads nothing from it (its Lettuce metrics are
	 * observations), so the soak turns it off.
	 */
	@Bean
	ClientResourcesBuilderCustomizer noCommandLatencyCollector() {
		return (builder) -> builder.commandLatencyRecorder(CommandLatencyRecorder.disabled());
	}

	/**
	 * The password read from the mounted secret on every connect, as the README shows, so that a
	 * rotation needs no restart; the user name from {@code spring.data.redis.username}.
	 */
	@Bean
	LettuceClientConfigurationBuilderCustomizer passwordFromSecretFile(
			@Value("${bench.soak.password-file}") Path secretFile) {
		RedisCredentialsProvider credentials = SoakCredentials.fromSecretFile(secretFile);
		return (builder) -> builder.redisCredentialsProviderFactory(new RedisCredentialsProviderFactory() {

			@Override
			public RedisCredentialsProvider createCredentialsProvider(RedisConfiguration configuration) {
				return credentials;
			}

		});
	}

	@Bean
	@ConditionalOnProperty(name = "bench.soak.leak", havingValue = "true")
	ConnectionLeak connectionLeak(ClientResources resources, Environment environment,
			@Value("${bench.soak.password-file}") Path secretFile) {
		String firstSeed = environment.getRequiredProperty("spring.data.redis.cluster.nodes").split(",")[0].strip();
		int colon = firstSeed.lastIndexOf(':');
		RedisURI seed = RedisURI.create(firstSeed.substring(0, colon), Integer.parseInt(firstSeed.substring(colon + 1)));
		seed.setClientName(environment.getRequiredProperty("spring.data.redis.client-name"));
		// Read again on every reconnect: the leaked connections outlive password rotations.
		seed.setCredentialsProvider(SoakCredentials.fromSecretFile(secretFile));
		return new ConnectionLeak(resources, seed);
	}

	/**
	 * The negative control: {@value #PER_CHANGE} more connections kept open for every topology
	 * change the starter applies, as a bug that forgot to close them would. Each goes to the first seed, a Service name
	 * that leads to a running pod after every move, so that it reconnects there and stays open
	 * whatever the disruptions do; it carries the application's client name. The soak's trend
	 * judgement must fail with it.
	 */
	static final class ConnectionLeak implements DisposableBean {

		/** A soak sees one or two changes per disruption: a few connections each make the leak plain within minutes. */
		static final int PER_CHANGE = 3;

		private final ClientResources resources;

		private final RedisURI seed;

		private final List<RedisClient> kept = new CopyOnWriteArrayList<>();

		/** Connects off the watcher's thread, which publishes the event and must not wait on it. */
		private final ExecutorService connector = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "soak-connection-leak");
			thread.setDaemon(true);
			return thread;
		});

		ConnectionLeak(ClientResources resources, RedisURI seed) {
			this.resources = resources;
			this.seed = seed;
		}

		@EventListener
		void onRefresh(TopologyRefreshedEvent event) {
			for (int i = 0; i < PER_CHANGE; i++) {
				this.connector.execute(this::leakOne);
			}
		}

		/** One connection, tried again each second while the cluster is still being disrupted. */
		private void leakOne() {
			RedisClient client = RedisClient.create(this.resources, this.seed);
			this.kept.add(client);
			for (int attempt = 0; attempt < 60; attempt++) {
				try {
					client.connect();
					return;
				}
				catch (RuntimeException ex) {
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}

		@Override
		public void destroy() {
			this.connector.shutdownNow();
			this.kept.forEach((client) -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
		}

	}
}
