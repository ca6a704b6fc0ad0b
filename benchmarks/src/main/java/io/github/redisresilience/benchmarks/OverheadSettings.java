package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the overhead suite runs, from system properties (the Maven profile passes them on).
 *
 * @param variants {@code bench.overhead.variants}: any of {@code saturating}, {@code fixed-rate} (the starter
 * against stock Boot) and {@code exactly-once-incr} (the starter's exactly-once INCR against its plain INCR)
 * @param rounds {@code bench.overhead.rounds}: measured rounds per variant, each timing both clients
 * @param sessions {@code bench.overhead.sessions}: over how many JVMs of their own the rounds are spread, each
 * with both clients started afresh; 1 runs them in this JVM
 * @param round {@code bench.overhead.round}: how long one client runs in a round
 * @param warmUp {@code bench.overhead.warm-up}: how long each client runs before the first round
 * @param threads {@code bench.overhead.threads}: workload threads
 * @param rate {@code bench.overhead.rate}: the fixed-rate variant's commands per second over all
 * threads; 0 for a quarter of what stock Boot reached saturated in the warm-up
 * @param starts {@code bench.overhead.starts}: measured context starts per client, each in a JVM of its own
 * @param starterProperties {@code bench.overhead.starter-properties}: {@code name=value} pairs separated by
 * {@code ;}, set as system properties while the suite runs, which only the starter reads (stock Boot runs with
 * {@code redis.resilience.enabled=false}): to find which of the starter's features costs what
 * @param results {@code bench.results}: the folder the Markdown table is written to
 */
record OverheadSettings(List<String> variants, int rounds, int sessions, Duration round, Duration warmUp, int threads,
		int rate, int starts, Map<String, String> starterProperties, Path results) {

	static final String SATURATING = "saturating";

	static final String FIXED_RATE = "fixed-rate";

	/** Not the starter against stock Boot: the starter's exactly-once INCR against its plain INCR. */
	static final String EXACTLY_ONCE_INCR = "exactly-once-incr";

	private static final List<String> VARIANTS = List.of(SATURATING, FIXED_RATE, EXACTLY_ONCE_INCR);

	static OverheadSettings fromSystemProperties() {
		boolean quick = Boolean.getBoolean("bench.quick");
		String variants = property("bench.overhead.variants", String.join(",", VARIANTS));
		List<String> parsed = Arrays.stream(variants.split(",")).map(String::strip).toList();
		for (String variant : parsed) {
			if (!VARIANTS.contains(variant)) {
				throw new IllegalArgumentException(
						"Unknown bench.overhead.variants entry '" + variant + "'; known: " + VARIANTS);
			}
		}
		int sessions = Integer.getInteger("bench.overhead.sessions", 1);
		if (sessions < 1) {
			throw new IllegalArgumentException("bench.overhead.sessions must be 1 or more, not " + sessions);
		}
		return new OverheadSettings(parsed, Integer.getInteger("bench.overhead.rounds", quick ? 3 : 10), sessions,
				duration("bench.overhead.round", quick ? "2s" : "5s"),
				duration("bench.overhead.warm-up", quick ? "2s" : "10s"),
				Integer.getInteger("bench.overhead.threads", 8), Integer.getInteger("bench.overhead.rate", 0),
				Integer.getInteger("bench.overhead.starts", quick ? 2 : 10),
				pairs(property("bench.overhead.starter-properties", "")),
				Path.of(property("bench.results", "results")));
	}

	private static Duration duration(String property, String defaultValue) {
		return DurationStyle.detectAndParse(property(property, defaultValue));
	}

	private static Map<String, String> pairs(String value) {
		Map<String, String> pairs = new LinkedHashMap<>();
		for (String pair : value.split(";")) {
			if (pair.isBlank()) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals <= 0 || !pair.strip().startsWith("redis.resilience.")) {
				throw new IllegalArgumentException("bench.overhead.starter-properties takes redis.resilience.*=value "
						+ "pairs separated by ';', not '" + pair + "'");
			}
			pairs.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
		}
		return pairs;
	}

	/** The Maven profile passes every property on, empty where the code's default applies. */
	static String property(String name, String defaultValue) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? defaultValue : value.strip();
	}

	/** Each session's share of the rounds, rounded up: every session runs as many. */
	int roundsPerSession() {
		return (this.rounds + this.sessions - 1) / this.sessions;
	}

	@Override
	public String toString() {
		String rounds = (this.sessions > 1)
				? this.sessions + " sessions (a JVM each) x " + roundsPerSession() + " rounds" : this.rounds + " rounds";
		return this.variants + ": " + rounds + " x " + this.round.toMillis() + " ms per client after "
				+ this.warmUp.toMillis() + " ms warm-up, " + this.threads + " threads"
				+ ((this.rate > 0) ? ", fixed rate " + this.rate + " commands/s" : "") + "; " + this.starts
				+ " context starts per client"
				+ (this.starterProperties.isEmpty() ? "" : "; starter with " + this.starterProperties);
	}

}
