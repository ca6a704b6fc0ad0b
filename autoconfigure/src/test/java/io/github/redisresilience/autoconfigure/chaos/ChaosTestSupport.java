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
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
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
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

import io.github.redisresilience.autoconfigure.retry.RedisRetriesExhaustedException;
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
import io.github.redisresilience.test.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs an application on the starter (or, for comparison, stock Spring Boot) against a moving
 * {@link LocalRedisCluster} with a ledger-keeping {@link Workload}, and checks that it recovers
 * without a restart and that every acknowledged write is readable afterwards.
 * <p>
 * Each scenario runs once per client mode in {@code -Dchaos.modes} (default {@code starter}) and
 * {@code -Dchaos.repetitions} times (default 1); the {@code chaos} Maven profile runs stock Spring
 * Boot and Boot's own refresh settings side by side with the starter, three times each. Every run
 * is judged the same way (recovery within 30 s, no failed SET/GET, failed INCRs within their
 * bound, no acknowledged write or increment lost, no increment doubled): the starter must pass,
 * stock Spring Boot must not (the whole-starter control), Boot's refresh settings are measured.
 */
abstract class ChaosTestSupport {

	static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

	/** Workload threads: each has one operation in flight at a time. */
	static final int THREADS = 4;

	/** Masters of the kit's default cluster. */
	static final int MASTERS = 3;

	/** Resolves the kit's names with the JDK (hosts file), for the independent ledger reader. */
	private static final ClientResources LEDGER_RESOURCES = DefaultClientResources.builder()
		.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
		.build();

	ConfigurableApplicationContext context;

	ClientMode mode;

	/** The seeds the application started with. */
	String seeds;

	/** Where the independent ledger reader finds the cluster: the application's seeds unless set. */
	String ledgerSeeds;

	/** Whether the starter's ledger is read by a client of its own too (for controls that switch parts of it off). */
	boolean independentLedgerReader;

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
		this.seeds = seeds;
		this.ledgerSeeds = seeds;
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
	 * The starter refreshed the topology while the client was in trouble and, when its view lost
	 * slot coverage, told the application so and ended with every slot covered. Whether its view
	 * lost coverage at all depends on a refresh landing in the second or so between the master's
	 * failure and its replica's promotion, so the event is not required here; it is where coverage
	 * is lost for long ({@code RedisClusterActuatorIT}, a master stopped with its replicas).
	 */
	void assertTroublePublished() {
		if (this.mode != ClientMode.STARTER) {
			return;
		}
		AddressChanges published = this.context.getBean(AddressChanges.class);
		assertThat(published.refreshes).extracting((event) -> event.refresh().trigger()).contains("degraded");
		if (!published.coverage.isEmpty()) {
			assertThat(published.coverage.get(0).everySlotCovered()).as("the first coverage event says it was lost")
				.isFalse();
			await().atMost(RECOVERY_LIMIT)
				.untilAsserted(() -> assertThat(published.coverage.get(published.coverage.size() - 1).everySlotCovered())
					.as("the last coverage event").isTrue());
		}
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
		return runScenario(name, operations, chaos, true);
	}

	/**
	 * Runs a scenario and asserts by mode: the starter must pass it; stock Spring Boot must not,
	 * where {@code stockBootFails} (a master frozen shorter than the node timeout, for one, is
	 * waited out by any client).
	 */
	ChaosReport runScenario(String name, Workload.Operations operations, Chaos chaos, boolean stockBootFails)
			throws Exception {
		Run run = run(name, operations, chaos);
		if (this.mode == ClientMode.STARTER) {
			assertThat(run.problems()).as("what went wrong for the starter in '%s'", name).isEmpty();
			TopologyWatcher watcher = this.context.getBean(TopologyWatcher.class);
			await("the starter calms down once the cluster is healthy").atMost(RECOVERY_LIMIT)
				.until(() -> !watcher.isDegraded());
		}
		else if (this.mode == ClientMode.STOCK_BOOT && stockBootFails) {
			// The whole-starter control: Spring Boot without the starter must fail where the starter passes.
			assertThat(run.problems()).as("stock Spring Boot (redis.resilience.enabled=false) in '%s' must not pass "
					+ "what the starter passes", name).isNotEmpty();
		}
		return run.report();
	}

	/**
	 * Runs the workload through a scenario and judges it, whatever the client: nothing is
	 * swallowed, every shortfall is a named problem (the caller decides which must be none).
	 * @param name the scenario's name, for the results line
	 * @param operations how the workload reaches Redis
	 * @param chaos what happens to the cluster
	 * @return the chaos report and the problems seen
	 */
	Run run(String name, Workload.Operations operations, Chaos chaos) throws Exception {
		ChaosReport report;
		Workload workload = workload(operations, THREADS, Duration.ofMillis(20));
		try {
			// Every client works before the chaos: a failure here is the test's, not the client's.
			await("a fully successful second before the chaos").atMost(RECOVERY_LIMIT)
				.until(() -> workload.firstFullySuccessfulSecondAfter(Instant.now().minusSeconds(2)).isPresent());
			report = chaos.run(workload);
			awaitFullySuccessfulSecondAfter(workload, report.healed());
		}
		finally {
			workload.close();
		}
		Optional<Instant> recovered = workload.firstFullySuccessfulSecondAfter(report.healed());
		List<String> problems = new ArrayList<>();
		if (recovered.isEmpty()) {
			problems.add("no fully successful second within " + RECOVERY_LIMIT.toSeconds() + " s after the heal");
		}
		long writeFailures = workload.failures(Workload.Step.WRITE_OR_READ) + workload.failures(Workload.Step.READ);
		// Every scenario here is shorter than the retry budget: the retry absorbs every SET and GET.
		if (writeFailures > 0) {
			problems.add(writeFailures + " SET/GET failed");
		}
		long incrementFailures = workload.failures(Workload.Step.INCREMENT);
		if (incrementFailures > incrementFailureBound(workload)) {
			problems.add(incrementFailures + " INCR failed, more than the bound of " + incrementFailureBound(workload));
		}
		Ledger ledger = checkLedger(workload);
		if (!ledger.lostWrites().isEmpty()) {
			problems.add(ledger.lostWrites().size() + " acknowledged writes lost " + sample(ledger.lostWrites()));
		}
		if (!ledger.increments().lost().isEmpty()) {
			problems.add(ledger.increments().lost().size() + " acknowledged INCR lost " + sample(ledger.increments().lost()));
		}
		if (!ledger.increments().doubled().isEmpty()) {
			problems.add(ledger.increments().doubled().size() + " INCR applied twice " + sample(ledger.increments().doubled()));
		}
		if (ledger.unreadable() != null) {
			problems.add("ledger unreadable: " + ledger.unreadable());
		}
		reportLine(String.format("[chaos] %-12s %s: cluster unhealthy %d ms; first fully successful second %s after heal; "
				+ "%d of %d operations failed (%d SET/GET, %d INCR); acknowledged writes lost %d of %d; INCR lost %d, "
				+ "doubled %d of %d acknowledged (%d failed); longest operation %d ms; problems %s; errors %s",
				this.mode.label, name, report.unhealthyFor().toMillis(),
				recovered.map((at) -> Duration.between(report.healed(), at).toMillis() + " ms").orElse("never"),
				workload.failures(), workload.outcomes().size(), writeFailures, incrementFailures, ledger.lostWrites().size(),
				workload.acknowledgedWrites().size(), ledger.increments().lost().size(), ledger.increments().doubled().size(),
				ledger.increments().acknowledged(), ledger.increments().failed(), workload.longestOperation().toMillis(),
				problems, workload.sampleErrors(3)));
		return new Run(report, problems, workload);
	}

	/**
	 * How many {@code INCR}s may fail: only one whose fate is unknown (written, then its connection
	 * closed or its node stopped answering before the reply) fails, because the starter does not
	 * re-send a non-idempotent command ({@code retry.ambiguous=idempotent-only}); each thread has
	 * one command in flight at a time, so at most one per thread for each master that stops
	 * answering, and no scenario here disrupts more masters than the cluster has (3).
	 */
	long incrementFailureBound(Workload workload) {
		return (long) workload.threads() * MASTERS;
	}

	private static String sample(List<String> items) {
		return items.stream().limit(3).toList().toString();
	}

	/** Prints a result line and appends it to {@code target/chaos-results.txt}, one line per run. */
	static void reportLine(String line) {
		System.out.println(line);
		try {
			Files.writeString(Path.of("target", "chaos-results.txt"), line + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits up to the recovery limit for a fully successful second of the workload after an
	 * instant.
	 * @return whether one came: a client that did not recover is judged by {@link #run}, not here
	 */
	boolean awaitFullySuccessfulSecondAfter(Workload workload, Instant from) {
		try {
			await().atMost(RECOVERY_LIMIT).until(() -> workload.firstFullySuccessfulSecondAfter(from).isPresent());
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	/**
	 * Reads every acknowledged write and every counter back, through a client of its own for the
	 * stock modes (a client that never recovered cannot hide its lost writes behind its own
	 * failures) and through the application for the starter, which recovered by then.
	 */
	private Ledger checkLedger(Workload workload) {
		try {
			if (this.mode == ClientMode.STARTER && !this.independentLedgerReader) {
				StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
				return checkLedger(workload, (key) -> redis.opsForValue().get(key));
			}
			return readIndependently((redis) -> checkLedger(workload, redis::get));
		}
		catch (RuntimeException ex) {
			return new Ledger(List.of(), new Workload.IncrementLedger(0, 0, List.of(), List.of()),
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	/**
	 * Reads through a plain Lettuce client of its own, started now from the application's seeds
	 * (resolved again), so it knows the healed topology whatever the application's client knows.
	 */
	<T> T readIndependently(Function<RedisAdvancedClusterCommands<String, String>, T> read) {
		RedisClusterClient client = RedisClusterClient.create(LEDGER_RESOURCES, RedisURI.create("redis://" + this.ledgerSeeds));
		client.setOptions(ClusterClientOptions.builder()
			.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
			.build());
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			return read.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	private static Ledger checkLedger(Workload workload, Function<String, String> read) {
		List<String> lost = new ArrayList<>();
		workload.acknowledgedWrites().forEach((key, value) -> {
			String found = read.apply(key);
			if (!value.equals(found)) {
				lost.add(key + " reads " + found);
			}
		});
		if (workload.acknowledgedWrites().isEmpty()) {
			throw new IllegalStateException("no write was acknowledged at all");
		}
		return new Ledger(lost, workload.checkIncrements(read), null);
	}

	record Ledger(List<String> lostWrites, Workload.IncrementLedger increments, String unreadable) {

	}

	/**
	 * A judged run.
	 * @param report what happened to the cluster
	 * @param problems every shortfall, empty when the client passed
	 * @param workload the finished workload
	 */
	record Run(ChaosReport report, List<String> problems, Workload workload) {

	}

	/**
	 * Starts a workload through the application, its failures described with their root cause.
	 * @param operations how it reaches Redis
	 * @param threads how many threads, each with one operation in flight
	 * @param pace how often each thread starts an operation
	 * @return the running workload
	 */
	static Workload workload(Workload.Operations operations, int threads, Duration pace) {
		return Workload.builder(operations)
			.threads(threads)
			.pace(pace)
			.describeFailures(ChaosTestSupport::describe)
			.start();
	}

	/** A failure and, when Spring Data wrapped it, its root cause: "Error in execution" alone says nothing. */
	static String describe(Throwable ex) {
		Throwable root = ex;
		for (int i = 0; i < 10 && root.getCause() != null && root.getCause() != root; i++) {
			root = root.getCause();
		}
		String text = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		String described = (root == ex) ? text
				: text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
		for (Throwable suppressed : root.getSuppressed()) {
			if (suppressed instanceof RedisRetriesExhaustedException retries) {
				// How many attempts and why the retry stopped: what tells one cause from another.
				return described + " [" + retries.getMessage() + "]";
			}
		}
		return described;
	}

	Workload.Operations blocking() {
		ValueOperations<String, String> values = this.context.getBean(StringRedisTemplate.class).opsForValue();
		return Workload.Operations.of(values::set, values::get, values::increment);
	}

	Workload.Operations reactive() {
		ReactiveValueOperations<String, String> values = this.context.getBean(ReactiveStringRedisTemplate.class)
			.opsForValue();
		Duration wait = Duration.ofSeconds(30);
		return Workload.Operations.of((key, value) -> values.set(key, value).block(wait),
				(key) -> values.get(key).block(wait), (key) -> values.increment(key).block(wait));
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
