package io.github.redisresilience.autoconfigure.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.topology.DeploymentShape;
import io.github.redisresilience.autoconfigure.topology.NodeAddressChangedEvent;
import io.github.redisresilience.autoconfigure.topology.SlotCoverageChangedEvent;
import io.github.redisresilience.autoconfigure.topology.TopologyRefreshedEvent;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.AddressChange;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs an application on the starter (or, for comparison, stock Spring Boot) against a moving
 * {@link LocalRedisCluster} with a ledger-keeping {@link Workload}, and checks that it recovers
 * without a restart and that every acknowledged write is readable afterwards.
 * <p>
 * Each scenario runs once per client mode in {@code -Dchaos.modes} (default {@code starter}) and
 * {@code -Dchaos.repetitions} times (default 1); the {@code chaos} Maven profile runs stock Spring
 * Boot and Boot's own refresh settings side by side with the starter, three times each, and only
 * the starter's runs are asserted: the others are measured for comparison.
 */
abstract class ChaosTestSupport {

	static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

	ConfigurableApplicationContext context;

	ClientMode mode;

	static List<ClientMode> runs() {
		List<ClientMode> runs = new ArrayList<>();
		int repetitions = Integer.getInteger("chaos.repetitions", 1);
		for (int i = 0; i < repetitions; i++) {
			for (String mode : System.getProperty("chaos.modes", "starter").split(",")) {
				runs.add(ClientMode.valueOf(mode.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
			}
		}
		return runs;
	}

	void startApplication(ClientMode mode, String seeds, String... extraArguments) {
		this.mode = mode;
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + seeds,
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk"));
		arguments.addAll(mode.arguments);
		arguments.addAll(List.of(extraArguments));
		this.context = new SpringApplicationBuilder(ChaosApplication.class).web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new));
	}

	@AfterEach
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
	}

	/**
	 * Leaves the cluster as the next test expects it, even when a scenario failed half-way: every
	 * paused pod resumed, every stopped pod restarted, every cut-off pod moved to a new address.
	 * @param cluster the test class's cluster
	 */
	static void restoreCluster(LocalRedisCluster cluster) {
		for (RedisPod pod : cluster.pods()) {
			if (pod.isPaused()) {
				cluster.resume(pod);
			}
			else if (!pod.isRunning()) {
				cluster.restart(pod);
			}
			else if (pod.isIsolated()) {
				cluster.movePod(pod, OldAddresses.REFUSE);
			}
		}
	}

	/** The starter tells the shape it sees (stock modes have no starter to ask). */
	void assertShape(DeploymentShape expected) {
		if (this.mode == ClientMode.STARTER) {
			assertThat(this.context.getBean(TopologyWatcher.class).deploymentShape()).contains(expected);
		}
	}

	/**
	 * The starter refreshed the topology while the client was in trouble, told the application so,
	 * and ended with every slot covered (a lost coverage is always followed by its return).
	 */
	void assertTroublePublished() {
		if (this.mode != ClientMode.STARTER) {
			return;
		}
		AddressChanges published = this.context.getBean(AddressChanges.class);
		assertThat(published.refreshes).extracting((event) -> event.refresh().trigger()).contains("degraded");
		await().atMost(RECOVERY_LIMIT).untilAsserted(() -> {
			if (!published.coverage.isEmpty()) {
				assertThat(published.coverage.get(published.coverage.size() - 1).everySlotCovered()).isTrue();
			}
		});
	}

	void assertAddressChangesPublished(ChaosReport report) {
		AddressChanges published = this.context.getBean(AddressChanges.class);
		for (AddressChange change : report.addressChanges()) {
			String newAddress = change.to().getHostString() + ":" + change.to().getPort();
			await().atMost(RECOVERY_LIMIT)
				.untilAsserted(() -> assertThat(published.events)
					.anyMatch((event) -> event.nodeId().equals(change.nodeId()) && event.currentAddress().equals(newAddress)));
		}
	}

	ChaosReport runScenario(String name, Workload.Operations operations, Chaos chaos) throws Exception {
		ChaosReport report;
		Workload workload = Workload.start(operations, 4, Duration.ofMillis(20));
		try {
			awaitFullySuccessfulSecondAfter(workload, Instant.now().minusSeconds(2));
			report = chaos.run(workload);
			awaitRecovery(workload, report);
		}
		finally {
			workload.close();
		}
		Optional<Instant> recovered = workload.firstFullySuccessfulSecondAfter(report.healed());
		report(String.format("[chaos] %-12s %s: cluster unhealthy %d ms; first fully successful second %s after heal; "
				+ "%d of %d operations failed; longest operation %d ms; errors %s", this.mode.label, name,
				report.unhealthyFor().toMillis(),
				recovered.map((at) -> Duration.between(report.healed(), at).toMillis() + " ms").orElse("never"),
				workload.failures(), workload.operations(), workload.longestOperation().toMillis(),
				workload.sampleErrors(3)));
		if (this.mode != ClientMode.STARTER) {
			return report;
		}
		assertThat(recovered).as("a fully successful second after the cluster healed").isPresent();
		// Every scenario here is shorter than the retry budget: the retry policy absorbs it all.
		assertThat(workload.failures()).as("failed operations (%s)", workload.sampleErrors(3)).isZero();
		assertLedgerReadable(workload.ledger());
		TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
		await("the starter calms down once the cluster is healthy").atMost(RECOVERY_LIMIT)
			.until(() -> !watcher.isDegraded());
		return report;
	}

	/** Prints a result line and appends it to {@code target/chaos-results.txt}, one line per run. */
	private static void report(String line) {
		System.out.println(line);
		try {
			Files.writeString(Path.of("target", "chaos-results.txt"), line + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitRecovery(Workload workload, ChaosReport report) {
		awaitFullySuccessfulSecondAfter(workload, report.healed());
	}

	/**
	 * Waits for a fully successful second of the workload after an instant; for the stock clients,
	 * measured rather than asserted, a timeout is no failure.
	 */
	void awaitFullySuccessfulSecondAfter(Workload workload, Instant from) {
		try {
			await().atMost(RECOVERY_LIMIT).until(() -> workload.firstFullySuccessfulSecondAfter(from).isPresent());
		}
		catch (ConditionTimeoutException ex) {
			if (this.mode == ClientMode.STARTER) {
				throw ex;
			}
			// Measured, not asserted: stock clients may never recover.
		}
	}

	private void assertLedgerReadable(Map<String, String> ledger) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThat(ledger).isNotEmpty();
		ledger.forEach((key, value) -> assertThat(redis.opsForValue().get(key)).as("acknowledged write %s", key)
			.isEqualTo(value));
	}

	Workload.Operations blocking() {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		return new Workload.Operations() {
			@Override
			public void write(String key, String value) {
				redis.opsForValue().set(key, value);
			}

			@Override
			public String read(String key) {
				return redis.opsForValue().get(key);
			}
		};
	}

	Workload.Operations reactive() {
		ReactiveStringRedisTemplate redis = this.context.getBean(ReactiveStringRedisTemplate.class);
		return new Workload.Operations() {
			@Override
			public void write(String key, String value) {
				redis.opsForValue().set(key, value).block(Duration.ofSeconds(30));
			}

			@Override
			public String read(String key) {
				return redis.opsForValue().get(key).block(Duration.ofSeconds(30));
			}
		};
	}

	@FunctionalInterface
	interface Chaos {

		ChaosReport run(Workload workload);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ChaosApplication {

		@Bean
		AddressChanges addressChanges() {
			return new AddressChanges();
		}

		/** Stock modes resolve the kit's names with the JDK too, or they could not start at all. */
		@Bean
		@ConditionalOnProperty(name = "redis.resilience.enabled", havingValue = "false")
		ClientResourcesBuilderCustomizer jdkNameResolution() {
			return (builder) -> builder.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE);
		}

	}

	/** Collects the node address changes the application was told about. */
	static class AddressChanges {

		final List<NodeAddressChangedEvent> events = new CopyOnWriteArrayList<>();

		final List<SlotCoverageChangedEvent> coverage = new CopyOnWriteArrayList<>();

		final List<TopologyRefreshedEvent> refreshes = new CopyOnWriteArrayList<>();

		@EventListener
		void onAddressChange(NodeAddressChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void onCoverageChange(SlotCoverageChangedEvent event) {
			this.coverage.add(event);
		}

		@EventListener
		void onRefresh(TopologyRefreshedEvent event) {
			this.refreshes.add(event);
		}

	}

	/** The clients compared: the starter with its defaults, and Spring Boot without it. */
	enum ClientMode {

		STARTER("starter", List.of()),

		STOCK_BOOT("stock-boot", List.of("--redis.resilience.enabled=false")),

		BOOT_REFRESH("boot-refresh", List.of("--redis.resilience.enabled=false",
				"--spring.data.redis.lettuce.cluster.refresh.period=10s",
				"--spring.data.redis.lettuce.cluster.refresh.adaptive=true"));

		private final String label;

		private final List<String> arguments;

		ClientMode(String label, List<String> arguments) {
			this.label = label;
			this.arguments = arguments;
		}

		@Override
		public String toString() {
			return this.label;
		}

	}
}
