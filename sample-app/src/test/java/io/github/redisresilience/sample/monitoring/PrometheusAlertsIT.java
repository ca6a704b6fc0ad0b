package io.github.redisresilience.sample.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.redisresilience.sample.LocalClusterMode;
import io.github.redisresilience.sample.monitoring.MonitoringFiles.PanelQuery;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules and the dashboard against the real thing: the test kit's cluster, the sample
 * (the starter, steady traffic, {@code /actuator/prometheus}, its health checked every second as a
 * kubelet's readiness probe would) and Debian's {@code prometheus} scraping it every second with
 * {@code monitoring/prometheus/rules.yml} loaded.
 * <p>
 * One run, then one test per claim: a quiet stretch fires nothing; every pod moved with the old IPs
 * black-holed, a master frozen past its failover, and a master lost with its replica each put their
 * alerts into pending or firing, and every alert resolves after the heal; every dashboard query
 * returns data; every meter the rules and dashboard name is served. The times from each disruption
 * to pending/firing and from each heal to resolved go to {@code target/monitoring-alert-timings.txt}.
 * <p>
 * The default build keeps the quiet stretch at 20 s, holds the last outage only until its alert is
 * pending and waits for the gauge-based alerts to resolve, not for the counter-based ones (windows of
 * a minute); {@code -Pchaos} runs a quiet minute, holds outages until their alerts fire, adds a master
 * frozen with no replica to promote, and waits for every alert to resolve after each disruption.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusAlertsIT {

	private static final Logger logger = LoggerFactory.getLogger(PrometheusAlertsIT.class);

	private static final boolean FULL = Boolean.getBoolean("monitoring.full");

	private static final Duration QUIET = FULL ? Duration.ofSeconds(60) : Duration.ofSeconds(20);

	/** Longest wait for every alert to resolve: a minute of counter window, the rule's evaluation, margin. */
	private static final Duration RESOLVE_LIMIT = Duration.ofSeconds(150);

	/** Alerts whose expressions read gauges: they resolve within seconds of the heal. */
	private static final Set<String> GAUGE_ALERTS = Set.of("RedisClusterSlotsUncovered", "RedisClusterMasterSuspect",
			"RedisClientTopologyStale");

	/**
	 * How long after a heal an outage's alerts may still appear: the gauges follow the last health
	 * check (every second, up to the 2 s probe timeout), then a scrape and an evaluation (1 s each).
	 */
	private static final Duration LAG = Duration.ofSeconds(5);

	private static final Path TIMINGS = MonitoringFiles.MODULE.resolve("target/monitoring-alert-timings.txt");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private @Nullable LocalRedisCluster cluster;

	private @Nullable ConfigurableApplicationContext application;

	private @Nullable PrometheusServer prometheus;

	private @Nullable AlertLog alerts;

	private @Nullable ScheduledExecutorService readinessProbe;

	private String appBase = "";

	private Instant runStarted = Instant.now();

	private Instant quietFrom = Instant.now();

	private Instant quietTo = Instant.now();

	private final List<Outage> outages = new ArrayList<>();

	@BeforeAll
	void runDisruptions() throws IOException {
		Path binary = Executables.require("prometheus");
		// cluster-node-timeout 5 s: a frozen master stays suspect for seconds, long enough for a 1 s scrape to see.
		this.cluster = LocalRedisCluster.builder().nodeTimeout(Duration.ofSeconds(5)).start();
		this.application = LocalClusterMode.start(this.cluster, "--server.port=0");
		String port = this.application.getEnvironment().getProperty("local.server.port");
		this.appBase = "http://127.0.0.1:" + port;
		startReadinessProbe();
		this.prometheus = PrometheusServer.start(binary, "127.0.0.1:" + port, "/actuator/prometheus",
				MonitoringFiles.RULES);
		PrometheusServer server = this.prometheus;
		this.runStarted = Instant.now();
		await("first scrape of the starter's meters").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> !server.query("redis_resilience_slots_uncovered >= 0").isEmpty());
		this.alerts = new AlertLog(server);
		this.quietFrom = Instant.now();
		// The stretch itself is what is observed (the alert log records it; a test reads it), not a wait for a condition.
		await("a quiet stretch").pollDelay(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> true);
		this.quietTo = Instant.now();

		LocalRedisCluster kit = this.cluster;
		disrupt("move-all-pods-black-hole", () -> kit.moveAllPods(OldAddresses.BLACK_HOLE), () -> {
		});
		RedisPod frozen = kit.masterOf(0);
		disrupt("master-frozen-past-failover", () -> kit.pauseUntilFailover(frozen), () -> kit.resume(frozen));
		RedisPod lost = kit.masterOf(0);
		List<RedisPod> lostReplicas = kit.replicasOf(lost);
		disrupt("master-and-replica-down", () -> {
			Instant started = Instant.now();
			kit.stop(lost);
			lostReplicas.forEach(kit::stop);
			// Down until the application's commands on those slots run out of retries (budget 10 s) and
			// the alert on it notices: an exhausted counter is registered at its first increment, which
			// rate() cannot see, so it takes a second one.
			// -Pchaos holds the outage until the alert fires (2 minutes of failures), to measure that too.
			AlertLog log = this.alerts;
			String state = FULL ? "firing" : "pending";
			await("retries exhausted on the uncovered slots").atMost(FULL ? Duration.ofMinutes(4) : Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> state.equals(log.active().get("RedisClientRetriesExhausted"))
						|| "firing".equals(log.active().get("RedisClientRetriesExhausted")));
			Instant healed = kit.restart(lost).healed();
			lostReplicas.forEach(kit::restart);
			return new ChaosReport("master-and-replica-down", started, healed, List.of());
		}, () -> {
		});
		if (FULL) {
			// A master frozen with its replica down cannot be failed over: its slots stay uncovered until
			// it resumes, held here until that alert fires. (The cluster flags it failed after the node
			// timeout, so the client stops counting it as a suspect master: only uncovered slots remain.)
			RedisPod master = kit.masterOf(0);
			RedisPod replica = kit.replicasOf(master).get(0);
			kit.stop(replica);
			disrupt("master-frozen-without-failover", () -> {
				Instant started = Instant.now();
				kit.pause(master);
				await("the uncovered slots' alert firing").atMost(Duration.ofSeconds(90))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> "firing".equals(log().active().get("RedisClusterSlotsUncovered")));
				Instant healed = kit.resume(master).healed();
				return new ChaosReport("master-frozen-without-failover", started, healed, List.of());
			}, () -> kit.restart(replica));
		}
		try {
			awaitResolved(FULL ? Set.of() : nonGaugeAlerts(), "the end of the run");
		}
		finally {
			writeTimings();
		}
	}

	private void disrupt(String name, Disruption disruption, Runnable after) {
		Instant started = Instant.now();
		ChaosReport report = disruption.run();
		Instant healed = report.healed();
		after.run();
		logger.info("{}: disrupted at {}, healed after {} ms", name, started,
				Duration.between(started, healed).toMillis());
		// Every alert the outage raised, also those whose pending state came after the heal (windows, scrapes).
		awaitResolved(FULL ? Set.of() : nonGaugeAlerts(), name);
		this.outages.add(new Outage(name, started, healed, Instant.now()));
	}

	private AlertLog log() {
		return this.alerts;
	}

	private Set<String> nonGaugeAlerts() {
		Set<String> names = new TreeSet<>(MonitoringFiles.alertNames());
		names.removeAll(GAUGE_ALERTS);
		return names;
	}

	private void awaitResolved(Set<String> ignored, String when) {
		AlertLog log = this.alerts;
		Instant asked = Instant.now().plusSeconds(3);
		await("alerts resolved after " + when).atMost(RESOLVE_LIMIT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> log.polledAfter(asked) && ignored.containsAll(log.active().keySet()));
	}

	private void startReadinessProbe() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "readiness-probe");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(() -> {
			try {
				this.http.send(HttpRequest.newBuilder(URI.create(this.appBase + "/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding());
			}
			catch (IOException ex) {
				logger.debug("Health check failed", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, 0, 1, TimeUnit.SECONDS);
		this.readinessProbe = executor;
	}

	private void writeTimings() throws IOException {
		StringBuilder text = new StringBuilder();
		text.append(String.format(Locale.ROOT, "# %s, quiet stretch %d s, rules %s%n", Instant.now(), QUIET.toSeconds(),
				MonitoringFiles.RULES.getFileName()));
		text.append("# outage | alert | disruption -> pending (s) | disruption -> firing (s) | heal -> resolved (s)\n");
		for (Outage outage : this.outages) {
			for (String alert : this.alerts.activeBetween(outage.started(), outage.healed().plus(LAG))) {
				text.append(String.format(Locale.ROOT, "%s | %s | %s | %s | %s%n", outage.name(), alert,
						seconds(outage.started(), this.alerts.first(alert, "pending", outage.started(), outage.settled())),
						seconds(outage.started(), this.alerts.first(alert, "firing", outage.started(), outage.settled())),
						seconds(outage.healed(), resolved(alert, outage))));
			}
			text.append(String.format(Locale.ROOT, "%s | (outage) | healed after %.1f s%n", outage.name(),
					Duration.between(outage.started(), outage.healed()).toMillis() / 1000.0));
			text.append(measurements(outage.name(), outage.started(), outage.settled()));
		}
		text.append(measurements("quiet", this.quietFrom, this.quietTo));
		Files.createDirectories(TIMINGS.getParent());
		Files.writeString(TIMINGS, text.toString());
		logger.info("Alert timings:\n{}", text);
	}

	/** What the thresholds of the rules are chosen from: the meters over one stretch of the run. */
	private String measurements(String name, Instant from, Instant to) {
		long range = Math.max(1, Duration.between(from, to).toSeconds());
		Map<String, String> queries = new LinkedHashMap<>();
		queries.put("refresh failures", "sum(increase(redis_resilience_topology_refreshes_total{outcome=\"failure\"}[%ds]))");
		queries.put("refresh successes", "sum(increase(redis_resilience_topology_refreshes_total{outcome=\"success\"}[%ds]))");
		queries.put("max refresh age (s)", "max(max_over_time(redis_resilience_topology_refresh_age_seconds[%ds]))");
		queries.put("unanswered closes", "sum(increase(redis_resilience_connections_unanswered_total[%ds]))");
		queries.put("suspicions", "sum(increase(redis_resilience_nodes_suspicions_total[%ds]))");
		queries.put("seconds suspect", "sum(count_over_time((redis_resilience_nodes_suspect > 0)[%ds:1s]))");
		queries.put("seconds uncovered", "sum(count_over_time((redis_resilience_slots_uncovered > 0)[%ds:1s]))");
		queries.put("max uncovered slots", "max(max_over_time(redis_resilience_slots_uncovered[%ds]))");
		queries.put("retries", "sum(increase(redis_resilience_retries_total[%ds]))");
		queries.put("retries exhausted (last value)", "sum(max_over_time(redis_resilience_retries_exhausted_total[%ds]))");
		queries.put("address changes", "sum(increase(redis_resilience_node_address_changes_total[%ds]))");
		queries.put("dns lookups", "sum(increase(redis_resilience_dns_resolution_seconds_count[%ds]))");
		queries.put("dns failures", "sum(increase(redis_resilience_dns_resolution_seconds_count{outcome=\"failure\"}[%ds]))");
		queries.put("dns mean (ms)", "1000 * sum(increase(redis_resilience_dns_resolution_seconds_sum[%ds])) / sum(increase(redis_resilience_dns_resolution_seconds_count[%ds]))");
		queries.put("dns max (ms)", "1000 * max(max_over_time(redis_resilience_dns_resolution_seconds_max[%ds]))");
		queries.put("reconnect attempts", "sum(increase(redis_resilience_reconnect_attempts_total[%ds]))");
		StringBuilder text = new StringBuilder(name).append(" | measured over ").append(range).append(" s |");
		queries.forEach((label, query) -> text.append(String.format(Locale.ROOT, " %s %.1f;", label,
				this.prometheus.valueAt(query.replace("%ds", range + "s"), to))));
		return text.append('\n').toString();
	}

	/**
	 * The last time the alert went back to inactive within the outage; before the heal when the
	 * client saw the cluster whole before the kit's own check did.
	 */
	private Optional<Instant> resolved(String alert, Outage outage) {
		return this.alerts.changes()
			.stream()
			.filter((change) -> change.alert().equals(alert) && change.to().equals(AlertLog.INACTIVE))
			.map(AlertLog.Change::at)
			.filter((at) -> at.isAfter(outage.started()) && !at.isAfter(outage.settled()))
			.reduce((first, second) -> second);
	}

	private static String seconds(Instant from, Optional<Instant> to) {
		return to.map((at) -> String.format(Locale.ROOT, "%.1f", Duration.between(from, at).toMillis() / 1000.0))
			.orElse("-");
	}

	@AfterAll
	void stop() {
		if (this.alerts != null) {
			this.alerts.close();
		}
		if (this.readinessProbe != null) {
			this.readinessProbe.shutdownNow();
		}
		if (this.prometheus != null) {
			this.prometheus.close();
		}
		if (this.application != null) {
			this.application.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void quietStretchWithSteadyTrafficFiresNoAlert() {
		long seconds = Duration.between(this.quietFrom, this.quietTo).toSeconds();
		double commands = this.prometheus.valueAt("sum(increase(lettuce_seconds_count{db_operation=\"SET\"}[" + seconds + "s]))",
				this.quietTo);
		assertThat(commands).as("SET commands in the quiet stretch (4 threads, 20 a second each)")
			.isGreaterThan(seconds * 20.0);
		assertThat(this.alerts.activeBetween(this.quietFrom, this.quietTo)).isEmpty();
	}

	/**
	 * The client follows a move of every pod within seconds (its reads may or may not catch a view
	 * with slots lacking a node): nothing fires, and at most the uncovered-slots alert goes pending.
	 */
	@Test
	void movingEveryPodWithOldAddressesBlackHoledFiresNoAlert() {
		assertThat(firedBy("move-all-pods-black-hole")).isEmpty();
		assertThat(raisedBy("move-all-pods-black-hole")).isSubsetOf("RedisClusterSlotsUncovered");
	}

	@Test
	void freezingAMasterPastItsFailoverRaisesItsAlerts() {
		assertThat(raisedBy("master-frozen-past-failover")).contains("RedisClusterMasterSuspect",
				"RedisClusterSlotsUncovered");
	}

	@Test
	void losingAMasterWithItsReplicaRaisesItsAlerts() {
		assertThat(raisedBy("master-and-replica-down")).contains("RedisClusterSlotsUncovered",
				"RedisClientRetriesExhausted");
	}

	@Test
	void everyAlertResolvesAfterTheHeal() {
		if (FULL) {
			assertThat(this.alerts.active()).isEmpty();
			return;
		}
		// The default build does not wait out the minute-long windows of the counter-based alerts.
		assertThat(this.alerts.active()).doesNotContainValue("firing");
		assertThat(nonGaugeAlerts()).containsAll(this.alerts.active().keySet());
	}

	@Test
	void everyDashboardQueryReturnsData() {
		String application = this.application.getEnvironment().getProperty("spring.application.name");
		List<String> empty = new ArrayList<>();
		for (PanelQuery query : MonitoringFiles.panelQueries(application, ".*", "15s")) {
			JsonNode result = this.prometheus.queryRange(query.expr(), this.runStarted, Instant.now());
			if (result.isEmpty()) {
				empty.add(query.toString());
			}
		}
		assertThat(empty).as("dashboard queries without data in this run").isEmpty();
	}

	@Test
	void everyMeterTheRulesAndDashboardNameIsServed() throws Exception {
		String scrape = this.http.send(HttpRequest.newBuilder(URI.create(this.appBase + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		Set<String> served = new TreeSet<>();
		for (String line : scrape.lines().toList()) {
			if (!line.startsWith("#") && !line.isBlank()) {
				served.add(line.split("[{ ]", 2)[0]);
			}
		}
		assertThat(served).containsAll(MonitoringFiles.metricNames());
	}

	private Set<String> raisedBy(String outage) {
		Outage found = this.outages.stream().filter((o) -> o.name().equals(outage)).findFirst().orElseThrow();
		return this.alerts.activeBetween(found.started(), found.healed().plus(LAG));
	}

	private Set<String> firedBy(String outage) {
		Outage found = this.outages.stream().filter((o) -> o.name().equals(outage)).findFirst().orElseThrow();
		Set<String> fired = new TreeSet<>();
		for (String alert : MonitoringFiles.alertNames()) {
			if (this.alerts.first(alert, "firing", found.started(), found.settled()).isPresent()) {
				fired.add(alert);
			}
		}
		return fired;
	}

	@FunctionalInterface
	private interface Disruption {

		ChaosReport run();

	}

	/**
	 * One disruption of the run.
	 * @param name what was done
	 * @param started when it began
	 * @param healed when the cluster served every slot again
	 * @param settled when its alerts had resolved
	 */
	private record Outage(String name, Instant started, Instant healed, Instant settled) {
	}

}
