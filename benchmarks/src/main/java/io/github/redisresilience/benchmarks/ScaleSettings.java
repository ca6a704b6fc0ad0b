package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

/**
 * What the scale suite runs, from system properties (the Maven profile passes them on).
 *
 * @param kinds {@code bench.scale.clients}: the client kinds, one fleet after the other
 * @param size {@code bench.scale.size}: clients per fleet
 * @param rate {@code bench.scale.rate}: operations (a write and its read) per second per client
 * @param before {@code bench.scale.before}: steady state measured before the move
 * @param after {@code bench.scale.after}: measured after the cluster healed
 * @param oldAddresses {@code bench.scale.old-addresses}: {@code refuse} or {@code black-hole}
 * @param results {@code bench.results}: the folder the Markdown table is written to
 */
record ScaleSettings(List<ClientKind> kinds, int size, int rate, Duration before, Duration after,
		OldAddresses oldAddresses, Path results) {

	static ScaleSettings fromSystemProperties() {
		boolean quick = Boolean.getBoolean("bench.quick");
		String kinds = property("bench.scale.clients", "starter,boot-refresh,boot-jedis,redisson");
		String old = property("bench.scale.old-addresses", "refuse").strip();
		return new ScaleSettings(Arrays.stream(kinds.split(",")).map(ClientKind::fromLabel).toList(),
				Integer.getInteger("bench.scale.size", quick ? 5 : 50), Integer.getInteger("bench.scale.rate", 5),
				duration("bench.scale.before", quick ? "5s" : "15s"), duration("bench.scale.after", quick ? "10s" : "20s"),
				switch (old) {
					case "refuse" -> OldAddresses.REFUSE;
					case "black-hole" -> OldAddresses.BLACK_HOLE;
					default -> throw new IllegalArgumentException(
							"Unknown bench.scale.old-addresses '" + old + "'; known: refuse, black-hole");
				}, Path.of(property("bench.results", "results")));
	}

	private static Duration duration(String property, String defaultValue) {
		return DurationStyle.detectAndParse(property(property, defaultValue));
	}

	/** The Maven profile passes every property on, empty where the code's default applies. */
	static String property(String name, String defaultValue) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? defaultValue : value.strip();
	}

	@Override
	public String toString() {
		return this.size + " clients each of " + this.kinds + ", " + this.rate + " writes+reads/s per client; "
				+ this.before.toSeconds() + " s before the move of all pods (old IPs "
				+ this.oldAddresses.name().toLowerCase().replace('_', '-') + "), " + this.after.toSeconds()
				+ " s after the heal";
	}

}
