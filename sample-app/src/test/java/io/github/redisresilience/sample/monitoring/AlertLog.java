package io.github.redisresilience.sample.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Prometheus's alerts every 250 ms (it evaluates every second) and keeps every change of an
 * alert's state, with when it was seen.
 */
final class AlertLog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AlertLog.class);

	static final String INACTIVE = "inactive";

	private final PrometheusServer prometheus;

	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "prometheus-alert-log");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, String> current = new HashMap<>();

	private final List<Change> changes = new ArrayList<>();

	private volatile Instant lastPoll = Instant.MIN;

	AlertLog(PrometheusServer prometheus) {
		this.prometheus = prometheus;
		this.poller.scheduleWithFixedDelay(this::poll, 0, 250, TimeUnit.MILLISECONDS);
	}

	private void poll() {
		try {
			Map<String, String> states = new HashMap<>();
			for (PrometheusServer.Alert alert : this.prometheus.alerts()) {
				// Several series of one alert: firing wins over pending.
				states.merge(alert.name(), alert.state(), (a, b) -> a.equals("firing") ? a : b);
			}
			Instant now = Instant.now();
			synchronized (this) {
				Set<String> names = new TreeSet<>(this.current.keySet());
				names.addAll(states.keySet());
				for (String name : names) {
					String before = this.current.getOrDefault(name, INACTIVE);
					String after = states.getOrDefault(name, INACTIVE);
					if (!before.equals(after)) {
						this.changes.add(new Change(name, before, after, now));
						logger.info("Alert {}: {} -> {}", name, before, after);
					}
				}
				this.current.clear();
				this.current.putAll(states);
			}
			this.lastPoll = now;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read Prometheus's alerts", ex);
		}
	}

	/** Whether a poll completed after the given instant, so the state read is at least that recent. */
	boolean polledAfter(Instant instant) {
		return this.lastPoll.isAfter(instant);
	}

	synchronized Map<String, String> active() {
		return Map.copyOf(this.current);
	}

	synchronized List<Change> changes() {
		return List.copyOf(this.changes);
	}

	/**
	 * The first time an alert entered a state within a period.
	 * @param alert the alert's name
	 * @param state {@code pending} or {@code firing}
	 * @param from the start of the period
	 * @param to its end
	 * @return when, if it did
	 */
	synchronized Optional<Instant> first(String alert, String state, Instant from, Instant to) {
		return this.changes.stream()
			.filter((change) -> change.alert().equals(alert) && change.to().equals(state))
			.map(Change::at)
			.filter((at) -> !at.isBefore(from) && !at.isAfter(to))
			.findFirst();
	}

	/** The alerts that were pending or firing at some point within a period (or already at its start). */
	synchronized Set<String> activeBetween(Instant from, Instant to) {
		Set<String> names = new TreeSet<>();
		Map<String, String> state = new HashMap<>();
		for (Change change : this.changes) {
			if (change.at().isAfter(to)) {
				break;
			}
			state.put(change.alert(), change.to());
			if (!change.at().isBefore(from) && !change.to().equals(INACTIVE)) {
				names.add(change.alert());
			}
		}
		state.forEach((name, value) -> {
			if (!value.equals(INACTIVE)) {
				names.add(name);
			}
		});
		return names;
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
	}

	/**
	 * An alert changing state.
	 * @param alert its name
	 * @param from the state before
	 * @param to the state after
	 * @param at when the change was seen
	 */
	record Change(String alert, String from, String to, Instant at) {
	}

}
