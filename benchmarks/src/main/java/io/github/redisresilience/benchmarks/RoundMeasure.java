package io.github.redisresilience.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one client did in one round of the overhead suite, as the report needs it; written as one
 * line by a session's JVM and read back by the parent ({@link #encode()}, {@link #decode(String)}).
 *
 * @param throughput commands per second
 * @param p50 median latency, milliseconds
 * @param p99 99th percentile latency, milliseconds
 * @param p999 99.9th percentile latency, milliseconds
 * @param errors steps that failed, read back something else or counted wrong
 * @param errorSamples a few of the errors, distinct
 */
record RoundMeasure(double throughput, double p50, double p99, double p999, long errors, List<String> errorSamples) {

	/** Between error samples on the wire: never in one (each is whitespace-normalised). */
	private static final String SAMPLES = " ¦ ";

	static RoundMeasure of(SteadyLoad.Result result) {
		return new RoundMeasure(result.throughput(), result.percentileMillis(50), result.percentileMillis(99),
				result.percentileMillis(99.9), result.errors(), result.errorSamples());
	}

	double percentileMillis(double percentile) {
		if (percentile == 50) {
			return this.p50;
		}
		if (percentile == 99) {
			return this.p99;
		}
		if (percentile == 99.9) {
			return this.p999;
		}
		throw new IllegalArgumentException("Only p50, p99 and p99.9 are kept, not p" + percentile);
	}

	/** One line, no tab in it: the values separated by spaces, then the samples. */
	String encode() {
		return String.format(Locale.ROOT, "%.3f %.6f %.6f %.6f %d", this.throughput, this.p50, this.p99, this.p999,
				this.errors) + SAMPLES + String.join(SAMPLES, this.errorSamples);
	}

	static RoundMeasure decode(String line) {
		String[] parts = line.split(Pattern.quote(SAMPLES), -1);
		String[] values = parts[0].strip().split(" ");
		if (values.length != 5) {
			throw new IllegalArgumentException("Not a round measure: " + line);
		}
		List<String> samples = Arrays.stream(parts).skip(1).filter((sample) -> !sample.isBlank()).toList();
		return new RoundMeasure(Double.parseDouble(values[0]), Double.parseDouble(values[1]),
				Double.parseDouble(values[2]), Double.parseDouble(values[3]), Long.parseLong(values[4]), samples);
	}

}
