package io.github.redisresilience.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the soak runs, from system properties (the Maven profile passes them on).
 *
 * @param duration {@code bench.soak.duration}: how long the workload runs under disruptions
 * @param warmUp {@code bench.soak.warm-up}: the start left out of the trend judgements (class
 * loading, pools and caches filling)
 * @param seed {@code bench.soak.seed}: the schedule's seed; a run with the same seed applies the
 * same disruptions with the same gaps (random when unset, always printed)
 * @param minGap {@code bench.soak.min-gap}: the shortest quiet time between a heal and the next
 * disruption
 * @param maxGap {@code bench.soak.max-gap}: the longest
 * @param threads {@code bench.soak.threads}: workload threads
 * @param pace {@code bench.soak.pace}: each thread starts one operation this often
 * @param sampleEvery {@code bench.soak.sample-every}: how often resources are sampled
 * @param leak {@code bench.soak.leak}: the negative control: the application keeps three extra
 * connections per topology change it applies, which the trend judgement must catch
 * @param name {@code bench.soak.name}: the results' file name, without extension
 * @param results {@code bench.results}: the folder the results are written to
 */
record SoakSettings(Duration duration, Duration warmUp, long seed, Duration minGap, Duration maxGap, int threads,
		Duration pace, Duration sampleEvery, boolean leak, String name, Path results) {

	SoakSettings {
		if (minGap.compareTo(maxGap) > 0) {
			throw new IllegalArgumentException("bench.soak.min-gap (" + minGap + ") is longer than bench.soak.max-gap ("
					+ maxGap + ")");
		}
		if (warmUp.compareTo(duration) >= 0) {
			throw new IllegalArgumentException(
					"bench.soak.warm-up (" + warmUp + ") leaves nothing of bench.soak.duration (" + duration + ") to judge");
		}
	}

	static SoakSettings fromSystemProperties() {
		String seed = ScaleSettings.property("bench.soak.seed", "");
		boolean leak = Boolean.parseBoolean(ScaleSettings.property("bench.soak.leak", "false"));
		return new SoakSettings(duration("bench.soak.duration", "60m"), duration("bench.soak.warm-up", "2m"),
				seed.isEmpty() ? System.nanoTime() : Long.parseLong(seed), duration("bench.soak.min-gap", "20s"),
				duration("bench.soak.max-gap", "60s"), Integer.parseInt(ScaleSettings.property("bench.soak.threads", "4")),
				duration("bench.soak.pace", "20ms"), duration("bench.soak.sample-every", "5s"), leak,
				ScaleSettings.property("bench.soak.name", leak ? "soak-leaking" : "soak"),
				Path.of(ScaleSettings.property("bench.results", "results")));
	}

	private static Duration duration(String property, String defaultValue) {
		return DurationStyle.detectAndParse(ScaleSettings.property(property, defaultValue));
	}

	@Override
	public String toString() {
		return this.duration.toMinutes() + " min (" + this.warmUp.toSeconds() + " s warm-up), seed " + this.seed
				+ ", a disruption " + this.minGap.toSeconds() + "-" + this.maxGap.toSeconds() + " s after each heal, "
				+ this.threads + " threads each starting an operation every " + this.pace.toMillis()
				+ " ms, resources sampled every " + this.sampleEvery.toSeconds() + " s"
				+ (this.leak ? ", LEAKING three connections per applied topology change (negative control)" : "");
	}

}
